#!/usr/bin/env python3
# check-data.py: checks of what Flash Studio gives the desktop (the desktop
# entry, the AppStream metadata, the icons, the settings schema) and of
# where `meson install` puts it.
#
#   check-data.py desktop FILE
#   check-data.py metainfo FILE SCREENSHOTS-DIR
#   check-data.py schemas DIR
#   check-data.py icon SIZE FILE [--symbolic]
#   check-data.py install BUILDDIR APP-ID LINGUAS BINDIR DATADIR LOCALEDIR UDEVDIR
#
# A tool that is missing fails the check, with the package to install: a
# check that skipped itself would pass on machines where it proves nothing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SCREENSHOT_URL = 'https://raw.githubusercontent.com/flashstudio/flash-studio/main/data/screenshots/'
SYMBOLIC_COLOUR = '#2e3436'
DEMO_FILES = ['bootloader.bin', 'partition-table.bin', 'flash-studio-virtual-demo.bin',
              'demo-program-1.bin', 'demo-program-2.bin', 'manifest.json']


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def need(tool, package):
    path = shutil.which(tool)
    if path is None:
        fail(f'“{tool}” is not installed: install the Debian package “{package}” '
             '(build-aux/install-deps test does)')
    return path


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, check=False)
    print(f'$ {" ".join(command)}\n{result.stdout}', end='')
    return result


def png_size(path):
    with open(path, 'rb') as f:
        header = f.read(24)
    if len(header) < 24 or header[:8] != b'\x89PNG\r\n\x1a\n' or header[12:16] != b'IHDR':
        fail(f'“{path}” is not a PNG file')
    return struct.unpack('>II', header[16:24])


def check_desktop(path):
    validate = need('desktop-file-validate', 'desktop-file-utils')
    result = run([validate, path])
    # It exits with 0 on warnings and hints: any remark is a failure here
    if result.returncode != 0 or result.stdout.strip():
        fail(f'desktop-file-validate does not accept “{path}” as it is (see above)')


def check_screenshots(path, screenshots_dir):
    root = ET.parse(path).getroot()
    images = root.findall('./screenshots/screenshot/image')
    if not images:
        fail(f'“{path}” has no screenshots')
    for image in images:
        url = image.text.strip()
        if not url.startswith(SCREENSHOT_URL):
            fail(f'The screenshot “{url}” is not one of ours: it should start with “{SCREENSHOT_URL}”')
        local = os.path.join(screenshots_dir, url[len(SCREENSHOT_URL):])
        if not os.path.isfile(local):
            fail(f'The screenshot “{url}” is not in the repository: add “{local}”')
        declared = (int(image.get('width', '0')), int(image.get('height', '0')))
        if png_size(local) != declared:
            fail(f'The screenshot “{local}” is {png_size(local)[0]}×{png_size(local)[1]}, '
                 f'the metadata says {declared[0]}×{declared[1]}')


def check_metainfo(path, screenshots_dir):
    appstreamcli = need('appstreamcli', 'appstream')
    result = run([appstreamcli, 'validate', '--no-net', path])
    remarks = [line for line in result.stdout.splitlines() if re.match(r'[EW]: ', line)]
    if result.returncode != 0 or remarks:
        fail(f'appstreamcli finds errors or warnings in “{path}” (see above)')
    check_screenshots(path, screenshots_dir)


def check_schemas(directory):
    compile_schemas = need('glib-compile-schemas', 'libglib2.0-bin')
    result = run([compile_schemas, '--strict', '--dry-run', directory])
    if result.returncode != 0:
        fail(f'glib-compile-schemas --strict does not accept the schemas in “{directory}” (see above)')


def check_icon(size, path, symbolic):
    rsvg_convert = need('rsvg-convert', 'librsvg2-bin')
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, 'icon.png')
        result = run([rsvg_convert, '--width', str(size), '--height', str(size), '--output', png, path])
        if result.returncode != 0:
            fail(f'“{path}” does not render (see above)')
        if png_size(png) != (size, size):
            fail(f'“{path}” renders at {"×".join(map(str, png_size(png)))}, not {size}×{size}')
    root = ET.parse(path).getroot()
    if (root.get('width'), root.get('height'), root.get('viewBox')) != (str(size), str(size), f'0 0 {size} {size}'):
        fail(f'“{path}” should be drawn on a {size}×{size} canvas (width, height and viewBox)')
    if symbolic:
        # The desktop recolours symbolic icons: only one colour may be drawn
        with open(path, encoding='utf-8') as f:
            colours = set(re.findall(r'(?:fill|stroke)\s*[=:]\s*"?\s*([^";\s]+)', f.read()))
        others = sorted(colours - {SYMBOLIC_COLOUR, 'none'})
        if others:
            fail(f'The symbolic icon “{path}” uses {", ".join(others)}: only {SYMBOLIC_COLOUR} is allowed')


def read_linguas(path):
    languages = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            languages += line.split('#', 1)[0].split()
    return languages


def check_install(builddir, app_id, linguas, bindir, datadir, localedir, udevdir, mandir, completionsdir):
    meson = need('meson', 'meson')
    expected = [
        os.path.join(datadir, 'applications', f'{app_id}.desktop'),
        os.path.join(datadir, 'metainfo', f'{app_id}.metainfo.xml'),
        os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps', f'{app_id}.svg'),
        os.path.join(datadir, 'icons', 'hicolor', 'symbolic', 'apps', f'{app_id}-symbolic.svg'),
        os.path.join(datadir, 'glib-2.0', 'schemas', 'io.github.flashstudio.FlashStudio.gschema.xml'),
        os.path.join(udevdir, 'rules.d', '60-flash-studio.rules'),
        os.path.join(bindir, 'flash-studio'),
        os.path.join(bindir, 'flash-studio-cli'),
        os.path.join(bindir, 'flash-studio-sim'),
        os.path.join(mandir, 'man1', 'flash-studio-cli.1'),
        os.path.join(mandir, 'man1', 'flash-studio-sim.1'),
        os.path.join(completionsdir, 'flash-studio-cli'),
        os.path.join(completionsdir, 'flash-studio-sim'),
    ]
    # The demo firmware for the virtual board, for flashers outside the studio
    expected += [os.path.join(datadir, 'flash-studio', 'demo', name) for name in DEMO_FILES]
    expected += [os.path.join(localedir, language, 'LC_MESSAGES', 'flash-studio.mo')
                 for language in read_linguas(linguas)]

    with tempfile.TemporaryDirectory(prefix='flash-studio-install-') as destdir:
        # meson test has built everything already; a build started from
        # inside a test would race the other tests
        result = run([meson, 'install', '-C', builddir, '--no-rebuild', '--quiet', '--destdir', destdir])
        if result.returncode != 0:
            fail('meson install failed (see above)')
        missing = []
        for path in expected:
            installed = os.path.join(destdir, path.lstrip('/'))
            if not os.path.isfile(installed) or os.path.getsize(installed) == 0:
                missing.append(path)
            elif path.startswith(bindir + '/') and not os.access(installed, os.X_OK):
                fail(f'“{path}” is installed but cannot be run')
        if missing:
            fail('meson install does not install:\n  ' + '\n  '.join(missing))
        check_references(destdir, expected[0], expected[1], bindir, datadir)
        print(f'{len(expected)} files installed where the desktop looks for them')


def check_references(destdir, desktop, metainfo, bindir, datadir):
    """The desktop entry's program and icon, and the metadata's desktop
    entry, are the files installed"""
    def installed(path):
        return os.path.isfile(os.path.join(destdir, path.lstrip('/')))

    entry = {}
    with open(os.path.join(destdir, desktop.lstrip('/')), encoding='utf-8') as f:
        for line in f:
            key, sep, value = line.rstrip('\n').partition('=')
            if sep and key not in entry:
                entry[key] = value
    program = entry.get('Exec', '').split(' ')[0]
    if not installed(os.path.join(bindir, program)):
        fail(f'The desktop entry runs “{program}”, which is not installed in {bindir}')
    icon = entry.get('Icon', '')
    if not installed(os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps', icon + '.svg')):
        fail(f'The desktop entry shows the icon “{icon}”, which is not installed')
    launchable = ET.parse(os.path.join(destdir, metainfo.lstrip('/'))).getroot().findtext('launchable')
    if not installed(os.path.join(datadir, 'applications', launchable or '')):
        fail(f'The metadata launches “{launchable}”, which is not installed')


def main(argv):
    commands = {
        'desktop': (1, lambda a: check_desktop(a[0])),
        'metainfo': (2, lambda a: check_metainfo(a[0], a[1])),
        'schemas': (1, lambda a: check_schemas(a[0])),
        'icon': (2, lambda a: check_icon(int(a[0]), a[1], '--symbolic' in a[2:])),
        'install': (9, lambda a: check_install(*a)),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 < commands[argv[1]][0]:
        fail(f'usage: {argv[0]} {"|".join(commands)} ARGS…')
    commands[argv[1]][1](argv[2:])


if __name__ == '__main__':
    main(sys.argv)
