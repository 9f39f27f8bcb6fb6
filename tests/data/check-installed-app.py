#!/usr/bin/python3
# check-installed-app.py BUILDDIR PREFIX: installs the build into a
# temporary folder, starts the installed flash-studio from there with
# LANGUAGE=it on the display there is, and reads its window through the
# accessibility bus, as a screen reader would: the labels must be the
# Italian ones. Runs under run-on-xvfb and dbus-run-session.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi
except (ImportError, ValueError) as error:
    sys.exit(f'needs python3-gi and gir1.2-atspi-2.0 (build-aux/install-deps test): {error}')

# What the window shows in Italian and must not show in English
EXPECTED = {'Registra': 'Register', 'Mappa della flash': 'Flash Map'}
TIMEOUT_S = 60


def install(builddir, destdir):
    meson = shutil.which('meson')
    if meson is None:
        sys.exit('needs meson in PATH')
    subprocess.run([meson, 'install', '-C', builddir, '--no-rebuild', '--quiet', '--destdir', destdir],
                   check=True, stdout=subprocess.DEVNULL)


def names(accessible, depth=0):
    """Every name and text in the accessible tree under @accessible"""
    found = []
    if accessible is None or depth > 60:
        return found
    name = accessible.get_name()
    if name:
        found.append(name)
    for i in range(accessible.get_child_count()):
        found += names(accessible.get_child_at_index(i), depth + 1)
    return found


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def main():
    builddir, prefix = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix='fs-installed-') as tmp:
        destdir = os.path.join(tmp, 'root')
        install(builddir, destdir)
        root = destdir + prefix
        schemas = os.path.join(root, 'share', 'glib-2.0', 'schemas')
        subprocess.run(['glib-compile-schemas', schemas], check=True)
        home = os.path.join(tmp, 'home')
        os.makedirs(home)
        env = dict(os.environ,
                   LANGUAGE='it', LANG='C.UTF-8', LC_ALL='C.UTF-8',
                   FLASH_STUDIO_LOCALEDIR=os.path.join(root, 'share', 'locale'),
                   GSETTINGS_SCHEMA_DIR=schemas, GSETTINGS_BACKEND='memory',
                   HOME=home, XDG_DATA_HOME=os.path.join(home, 'data'),
                   XDG_CONFIG_HOME=os.path.join(home, 'config'),
                   FLASH_STUDIO_SIM_TIMING='instant', GTK_A11Y='atspi',
                   GSK_RENDERER='cairo', GDK_DEBUG='gl-disable')
        env.pop('GTK_A11Y_NONE', None)
        app = subprocess.Popen([os.path.join(root, 'bin', 'flash-studio')], env=env)
        try:
            deadline = time.monotonic() + TIMEOUT_S
            shown = []
            while time.monotonic() < deadline:
                accessible = find_app(app.pid)
                shown = names(accessible) if accessible is not None else []
                if all(italian in shown for italian in EXPECTED):
                    break
                if app.poll() is not None:
                    sys.exit(f'the installed flash-studio exited with status {app.returncode}')
                time.sleep(0.5)
            for italian, english in EXPECTED.items():
                if italian not in shown:
                    sys.exit(f'the installed window does not show “{italian}”; it shows: {sorted(set(shown))}')
                if english in shown:
                    sys.exit(f'the installed window still shows “{english}” in Italian')
            print(f'the installed flash-studio shows {", ".join(EXPECTED)}')
        finally:
            app.terminate()
            app.wait(10)


if __name__ == '__main__':
    main()
