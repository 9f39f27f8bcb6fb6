#!/usr/bin/env python3
# check-catalog.py: every translation in po/LINGUAS compiles, its formats
# match the English ones, and it translates every string of the sources as
# they are now: a string marked without a translation fails here.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-catalog.py SOURCE_ROOT   checks po/*.po against a fresh template
#   check-catalog.py --self-test   checks that an incomplete catalog fails

import os
import re
import subprocess
import sys
import tempfile

# The keywords of meson's 'glib' preset, which po/meson.build uses
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def make_template(root, pot):
    """The template of the sources as they are now, as `meson compile
    flash-studio-pot` would write it, but into @pot."""
    result = run(['xgettext', '--package-name=flash-studio', '-D', root, '-f',
                  os.path.join(root, 'po', 'POTFILES'), '-o', pot] + XGETTEXT_ARGS)
    if result.returncode != 0:
        sys.exit(f'xgettext failed:\n{result.stderr}')


def catalog_problems(po, pot, workdir):
    """What is wrong with translation @po against template @pot"""
    name = os.path.basename(po)
    problems = []
    result = run(['msgfmt', '--check', '--check-format', '-o', os.devnull, po])
    if result.returncode != 0:
        problems.append(f'{name} does not compile:\n{result.stderr}')
    merged = os.path.join(workdir, name)
    result = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
    if result.returncode != 0:
        return problems + [f'{name} does not merge with the template:\n{result.stderr}']
    result = run(['msgattrib', '--untranslated', '--no-obsolete', merged])
    untranslated = re.findall(r'^msgid "(.+)"$|^msgid ""\n"(.+)"$', result.stdout, re.M)
    for single, multi in untranslated:
        problems.append(f'{name}: not translated: "{single or multi}"')
    result = run(['msgattrib', '--only-fuzzy', '--no-obsolete', merged])
    for single, multi in re.findall(r'^msgid "(.+)"$|^msgid ""\n"(.+)"$', result.stdout, re.M):
        problems.append(f'{name}: fuzzy: "{single or multi}"')
    return problems


def check(root):
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f if not line.startswith('#') for w in line.split()]
    if not languages:
        print('po/LINGUAS lists no language')
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as workdir:
        pot = os.path.join(workdir, 'flash-studio.pot')
        make_template(root, pot)
        for language in languages:
            problems += catalog_problems(os.path.join(root, 'po', f'{language}.po'), pot, workdir)
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} problems: run `meson compile -C _build flash-studio-update-po`, '
              'then translate what is new or fuzzy')
        return 1
    print(f'{", ".join(languages)}: complete and valid')
    return 0


SELF_TEST_SOURCE = '''#include <glib/gi18n.h>
static void
f (guint n)
{
  g_print (_("Erase the flash?"));
  g_print (ngettext ("%u file", "%u files", n), n);
}
'''
SELF_TEST_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Erase the flash?"
msgstr "Cancellare la flash?"
'''


def self_test():
    """A catalog without a string of the sources, or with a broken
    format, must fail; a complete one must pass."""
    with tempfile.TemporaryDirectory() as workdir:
        source = os.path.join(workdir, 'x.c')
        with open(source, 'w', encoding='utf-8') as f:
            f.write(SELF_TEST_SOURCE)
        pot = os.path.join(workdir, 'x.pot')
        result = run(['xgettext', '-o', pot, source] + XGETTEXT_ARGS)
        assert result.returncode == 0, result.stderr
        os.mkdir(os.path.join(workdir, 'out'))
        po = os.path.join(workdir, 'it.po')
        cases = [
            (SELF_TEST_PO, ['it.po: not translated: "%u file"']),
            (SELF_TEST_PO + '\n#, c-format\nmsgid "%u file"\nmsgid_plural "%u files"\n'
             'msgstr[0] "%s file"\nmsgstr[1] "%u file"\n', ['does not compile']),
            (SELF_TEST_PO + '\n#, fuzzy, c-format\nmsgid "%u file"\nmsgid_plural "%u files"\n'
             'msgstr[0] "%u file"\nmsgstr[1] "%u file"\n', ['it.po: fuzzy: "%u file"']),
            (SELF_TEST_PO + '\n#, c-format\nmsgid "%u file"\nmsgid_plural "%u files"\n'
             'msgstr[0] "%u file"\nmsgstr[1] "%u file"\n', []),
        ]
        for text, expected in cases:
            with open(po, 'w', encoding='utf-8') as f:
                f.write(text)
            found = catalog_problems(po, pot, os.path.join(workdir, 'out'))
            if len(found) != len(expected) or not all(e in p for e, p in zip(expected, found)):
                print(f'self-test failed: expected {expected}, found {found}')
                return 1
    print('self-test: missing, fuzzy and broken translations are found')
    return 0


if __name__ == '__main__':
    if sys.argv[1:] == ['--self-test']:
        sys.exit(self_test())
    if len(sys.argv) != 2:
        sys.exit(f'usage: {sys.argv[0]} SOURCE_ROOT | --self-test')
    sys.exit(check(sys.argv[1]))
