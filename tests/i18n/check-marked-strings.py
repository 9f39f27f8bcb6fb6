#!/usr/bin/env python3
# check-marked-strings.py: fails on a user-visible string that is not marked
# for translation, and on a po/POTFILES that misses a file with such strings.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-marked-strings.py SOURCE_ROOT   checks the tree
#   check-marked-strings.py --self-test   checks the checker on a made-up tree
#
# A heuristic: in data/ui/*.ui the properties people read must carry
# translatable="yes"; in src/ the string literals passed as the message,
# label or title of a call that shows text to people must sit inside _(),
# N_(), C_(), NC_() or ngettext/g_dngettext. A string with no letters once
# its printf directives and escapes are gone ("%s: %s\n") is never flagged.

import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

UI_PROPERTIES = {
    'label', 'title', 'subtitle', 'tooltip-text', 'tooltip-markup',
    'placeholder-text', 'description', 'text', 'secondary-text',
    'heading', 'body', 'button-label', 'accessible-name',
}

# Strings that are not for people. Keep this list tiny: each entry says why.
ALLOWED = {
    # `--version` prints program and library names with their versions
    'flash-studio-cli %s\n',
    'json-glib %d.%d.%d\n',
    'flash-studio-sim %s\n',
    # the reply prefix of flash-studio-sim's control channel, read by scripts
    'error: %s\n',
}

# function -> indexes of the arguments people read; -1 means "every other
# argument from 2 on" (adw_message_dialog_add_responses: id, label, ...)
CALLS = {
    'g_set_error': [3],
    'g_set_error_literal': [3],
    'g_task_return_new_error': [3],
    'g_error_new': [2],
    'g_error_new_literal': [2],
    'g_prefix_error': [1],
    'g_prefix_error_literal': [1],
    'g_propagate_prefixed_error': [2],
    'gtk_label_new': [0],
    'gtk_label_new_with_mnemonic': [0],
    'gtk_label_set_text': [1],
    'gtk_label_set_markup': [1],
    'gtk_label_set_label': [1],
    'gtk_label_set_text_with_mnemonic': [1],
    'gtk_label_set_markup_with_mnemonic': [1],
    'gtk_button_new_with_label': [0],
    'gtk_button_new_with_mnemonic': [0],
    'gtk_button_set_label': [1],
    'gtk_check_button_new_with_label': [0],
    'gtk_check_button_set_label': [1],
    'gtk_window_set_title': [1],
    'gtk_widget_set_tooltip_text': [1],
    'gtk_widget_set_tooltip_markup': [1],
    'gtk_entry_set_placeholder_text': [1],
    'gtk_text_set_placeholder_text': [1],
    'gtk_file_chooser_native_new': [0, 3, 4],
    'gtk_file_filter_set_name': [1],
    'g_menu_append': [1],
    'g_menu_item_new': [0],
    'adw_toast_new': [0],
    'adw_toast_new_format': [0],
    'adw_message_dialog_new': [1, 2],
    'adw_message_dialog_format_heading': [1],
    'adw_message_dialog_format_body': [1],
    'adw_message_dialog_format_body_markup': [1],
    'adw_message_dialog_add_response': [2],
    'adw_message_dialog_add_responses': [-1],
    'g_notification_new': [0],
    'g_notification_set_title': [1],
    'g_notification_set_body': [1],
    'g_option_context_new': [0],
    'g_option_context_set_summary': [1],
    'g_option_context_set_description': [1],
    'g_option_group_new': [1, 2],
    # Flash Studio's own calls that carry a message
    'fs_problem_new': [1],
    'fs_job_emit_note': [1],
    'cli_usage_error': [1],
    'cli_file_error': [1],
    'cli_option_context_new': [0, 1],
}
# adw_action_row_set_subtitle, adw_status_page_set_description, ...
ADW_SETTER = re.compile(r'^adw_\w+_set_(title|subtitle|heading|body|description|button_label)$')

# What a command prints on the terminal is read by people too
CONSOLE_CALLS = {'g_print': [0], 'g_printerr': [0]}

def is_console_file(relpath):
    return relpath.startswith('src/cli/') or relpath == 'src/sim/flash-studio-sim.c'

WRAPPERS = {'_', 'N_', 'C_', 'NC_', 'Q_', 'ngettext', 'g_dngettext',
            'dngettext', 'g_dgettext', 'g_dpgettext2', 'gettext', 'dgettext'}

# Tables whose fields people read: type -> field indexes
TABLES = {
    'GOptionEntry': [5, 6],   # description, arg_description
    'CliVerb': [1, 2],        # parameters, summary
}

FORMAT_MACRO = re.compile(r'^G_\w*(FORMAT|MODIFIER)$')
FORMAT_DIRECTIVE = re.compile(
    r"%(\d+\$)?[-+ #0']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspm%]")
ESCAPE = re.compile(r'\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)')
# Hexadecimal numbers ("0x%06x") and option names ("--flash-size: %s") are
# the same in every language
LITERAL_WORDS = re.compile(r'(?<![\w-])(0x[0-9a-fA-F]*|--[\w-]+)')
TOKEN = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<pp>^[ \t]*\#(?:\\\n|[^\n])*)
  | (?P<string>"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<number>\d[\w.]*)
  | (?P<space>\s+)
  | (?P<punct>.)
''', re.S | re.M | re.X)


def has_letters(text):
    text = ESCAPE.sub(' ', FORMAT_DIRECTIVE.sub(' ', text))
    text = LITERAL_WORDS.sub(' ', text)
    return any(c.isalpha() for c in text)


def tokenize(source):
    tokens = []   # (kind, text, line)
    line = 1
    for m in TOKEN.finditer(source):
        kind = m.lastgroup
        text = m.group()
        if kind not in ('comment', 'pp', 'space'):
            tokens.append((kind, text, line))
        line += text.count('\n')
    return tokens


def matching(tokens, i):
    """Index of the bracket closing the one at @i."""
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j][1]
        if tokens[j][0] != 'punct':
            continue
        if t in '([{':
            depth += 1
        elif t in ')]}':
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def split_arguments(tokens, open_index):
    """The token ranges of the arguments of the call opening at @open_index."""
    close = matching(tokens, open_index)
    args = []
    start = open_index + 1
    depth = 0
    for j in range(open_index + 1, close):
        kind, t, _ = tokens[j]
        if kind != 'punct':
            continue
        if t in '([{':
            depth += 1
        elif t in ')]}':
            depth -= 1
        elif t == ',' and depth == 0:
            args.append((start, j))
            start = j + 1
    if start < close or args:
        args.append((start, close))
    return args


def unmarked_in(tokens, start, end):
    """The unmarked string literals with letters among tokens[start:end],
    adjacent literals joined: [(line, text)]."""
    found = []
    j = start
    while j < end:
        kind, t, line = tokens[j]
        if kind == 'ident' and t in WRAPPERS and j + 1 < end and tokens[j + 1][1] == '(':
            j = matching(tokens, j + 1) + 1
            continue
        if kind == 'string':
            pieces = []
            # "a" G_GSIZE_FORMAT "b" is one string
            while j < end and (tokens[j][0] == 'string' or
                               (tokens[j][0] == 'ident' and FORMAT_MACRO.match(tokens[j][1]))):
                if tokens[j][0] == 'string':
                    pieces.append(tokens[j][1][1:-1])
                j += 1
            if any(has_letters(p) for p in pieces):
                text = ''.join(pieces)
                if decode(text) not in ALLOWED:
                    found.append((line, text))
            continue
        j += 1
    return found


def decode(text):
    return text.replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')


def check_c(path, relpath):
    with open(path, encoding='utf-8') as f:
        tokens = tokenize(f.read())
    problems = []
    console = is_console_file(relpath)
    for i, (kind, t, line) in enumerate(tokens):
        if kind != 'ident' or i + 1 >= len(tokens) or tokens[i + 1][1] != '(':
            continue
        if i > 0 and tokens[i - 1][1] in ('->', '.'):
            continue
        indexes = CALLS.get(t)
        if indexes is None and ADW_SETTER.match(t):
            indexes = [1]
        if indexes is None and console:
            indexes = CONSOLE_CALLS.get(t)
        args = None
        if indexes is None and console and t == 'fprintf':
            args = split_arguments(tokens, i + 1)
            if args and tokens[args[0][0]][1] == 'stderr':
                indexes = [1]
        if indexes is None:
            continue
        if args is None:
            args = split_arguments(tokens, i + 1)
        if indexes == [-1]:
            indexes = list(range(2, len(args), 2))
        for n in indexes:
            if n < len(args):
                for sline, text in unmarked_in(tokens, *args[n]):
                    problems.append(f'{relpath}:{sline}: {t}: "{text}" is not marked for translation')
    problems += check_tables(tokens, relpath)
    problems += check_format_macros(tokens, relpath)
    return problems


def check_format_macros(tokens, relpath):
    """_("%" G_GSIZE_FORMAT " bytes"): xgettext stops at the macro, so the
    catalog holds "%" alone and the message is never translated."""
    problems = []
    for i, (kind, t, line) in enumerate(tokens):
        if kind == 'ident' and t in WRAPPERS and i + 1 < len(tokens) and tokens[i + 1][1] == '(':
            for kind2, t2, line2 in tokens[i + 2:matching(tokens, i + 1)]:
                if kind2 == 'ident' and FORMAT_MACRO.match(t2):
                    problems.append(f'{relpath}:{line2}: {t2} in a translatable string: xgettext cuts the '
                                    'string there; use %zu, %llu or %lld with a cast')
    return problems


def check_tables(tokens, relpath):
    """GOptionEntry entries[] = { { ... }, ... }; and the like."""
    problems = []
    for i, (kind, t, line) in enumerate(tokens):
        if kind != 'ident' or t not in TABLES:
            continue
        # TYPE name[] = {
        j = i + 1
        while j < len(tokens) and tokens[j][1] not in ('=', ';', '(', ')'):
            j += 1
        if j + 1 >= len(tokens) or tokens[j][1] != '=' or tokens[j + 1][1] != '{':
            continue
        table_close = matching(tokens, j + 1)
        k = j + 2
        while k < table_close:
            if tokens[k][1] == '{':
                fields = split_arguments(tokens, k)
                for n in TABLES[t]:
                    if n < len(fields):
                        for sline, text in unmarked_in(tokens, *fields[n]):
                            problems.append(f'{relpath}:{sline}: {t}: "{text}" is not marked for translation')
                k = matching(tokens, k) + 1
            else:
                k += 1
    return problems


def check_ui(path, relpath):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f'{relpath}: {e}']

    def visit(element, in_menu):
        in_menu = in_menu or element.tag == 'menu'
        for child in element:
            name = child.get('name')
            readable = ((child.tag == 'property' and name in UI_PROPERTIES) or
                        (child.tag == 'attribute' and in_menu and name == 'label'))
            # <accessibility><property name="label"> is covered by 'label'
            if readable and has_letters(child.text or '') and child.get('translatable') != 'yes':
                problems.append(f'{relpath}: <{child.tag} name="{name}">{child.text}</{child.tag}> '
                                'has no translatable="yes"')
            visit(child, in_menu)

    visit(root, False)
    return problems


def marks_strings(path):
    with open(path, encoding='utf-8') as f:
        return re.search(r'\b(N?C?_|ngettext|g_dngettext)\s*\(', f.read()) is not None


def check_potfiles(root):
    potfiles_path = os.path.join(root, 'po', 'POTFILES')
    with open(potfiles_path, encoding='utf-8') as f:
        listed = {l.strip() for l in f if l.strip() and not l.startswith('#')}
    problems = [f'po/POTFILES: {p} does not exist' for p in sorted(listed)
                if not os.path.exists(os.path.join(root, p))]
    wanted = []
    src = os.path.join(root, 'src')
    for folder in sorted(os.listdir(src)):
        folder_path = os.path.join(src, folder)
        if not os.path.isdir(folder_path):
            continue
        for name in sorted(os.listdir(folder_path)):
            if name.endswith('.c') and marks_strings(os.path.join(folder_path, name)):
                wanted.append(f'src/{folder}/{name}')
    ui = os.path.join(root, 'data', 'ui')
    if os.path.isdir(ui):
        wanted += [f'data/ui/{n}' for n in sorted(os.listdir(ui)) if n.endswith('.ui')]
    data = os.path.join(root, 'data')
    wanted += [f'data/{n}' for n in sorted(os.listdir(data))
               if n.endswith('.desktop.in') or n.endswith('.metainfo.xml.in')]
    problems += [f'po/POTFILES: {w} has translatable strings but is not listed'
                 for w in wanted if w not in listed]
    return problems


def check_tree(root):
    problems = []
    for folder, _, names in sorted(os.walk(os.path.join(root, 'src'))):
        for name in sorted(names):
            if name.endswith('.c'):
                path = os.path.join(folder, name)
                problems += check_c(path, os.path.relpath(path, root))
    ui = os.path.join(root, 'data', 'ui')
    if os.path.isdir(ui):
        for name in sorted(os.listdir(ui)):
            if name.endswith('.ui'):
                problems += check_ui(os.path.join(ui, name), f'data/ui/{name}')
    problems += check_potfiles(root)
    return problems


SELF_TEST_C = r'''
#include "config.h"
#include <glib/gi18n-lib.h>
static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_STRING, &port, "The port", N_("PORT") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
};
static void
f (GError **error, AdwActionRow *row)
{
  /* "a comment is not a string", g_set_error (e, d, 0, "nor this") */
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "No answer from %s", port);
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("Marked %s"), "not a message");
  g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, "%s: %" G_GSIZE_FORMAT "\n");
  adw_action_row_set_subtitle (row, ok ? _("Fine") : "Broken");
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "erase", "_Erase", NULL);
  g_prefix_error (error, ngettext ("%u file: ", "%u files: ", n), n);
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("%" G_GSIZE_FORMAT " bytes"), n);
}
'''
SELF_TEST_CLI = r'''
int
main (void)
{
  g_printerr ("Try again\n");
  fprintf (stderr, "%s\n", "detail");
  g_print ("flash-studio-cli %s\n", PACKAGE_VERSION);
}
'''
SELF_TEST_UI = '''<?xml version="1.0" encoding="UTF-8"?>
<interface>
  <menu id="menu"><section><item>
    <attribute name="label">_Preferences</attribute>
    <attribute name="action">app.preferences</attribute>
  </item></section></menu>
  <object class="GtkLabel">
    <property name="label" translatable="yes">Marked</property>
    <property name="css-name">not-read</property>
    <property name="tooltip-text">Not marked</property>
    <property name="text">0x1000</property>
    <accessibility><property name="label">Flash map</property></accessibility>
  </object>
</interface>
'''
SELF_TEST_EXPECTED = [
    'src/cli/cli-x.c:5: g_printerr: "Try again\\n" is not marked for translation',
    'src/gui/fs-x.c:12: g_set_error: "No answer from %s" is not marked for translation',
    'src/gui/fs-x.c:15: adw_action_row_set_subtitle: "Broken" is not marked for translation',
    'src/gui/fs-x.c:16: adw_message_dialog_add_responses: "_Erase" is not marked for translation',
    'src/gui/fs-x.c:18: G_GSIZE_FORMAT in a translatable string: xgettext cuts the string there; '
    'use %zu, %llu or %lld with a cast',
    'src/gui/fs-x.c:5: GOptionEntry: "The port" is not marked for translation',
    'data/ui/fs-x.ui: <attribute name="label">_Preferences</attribute> has no translatable="yes"',
    'data/ui/fs-x.ui: <property name="tooltip-text">Not marked</property> has no translatable="yes"',
    'data/ui/fs-x.ui: <property name="label">Flash map</property> has no translatable="yes"',
    'po/POTFILES: src/gone.c does not exist',
    'po/POTFILES: src/gui/fs-x.c has translatable strings but is not listed',
]


def self_test():
    """The checker must find each planted mistake, and nothing else."""
    with tempfile.TemporaryDirectory() as root:
        files = {
            'src/gui/fs-x.c': SELF_TEST_C,
            'src/cli/cli-x.c': SELF_TEST_CLI,
            'data/ui/fs-x.ui': SELF_TEST_UI,
            'po/POTFILES': 'src/gone.c\nsrc/cli/cli-x.c\ndata/ui/fs-x.ui\n',
        }
        for relpath, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, relpath)), exist_ok=True)
            with open(os.path.join(root, relpath), 'w', encoding='utf-8') as f:
                f.write(text)
        found = check_tree(root)
    if sorted(found) != sorted(SELF_TEST_EXPECTED):
        print('self-test failed')
        for line in sorted(set(found) - set(SELF_TEST_EXPECTED)):
            print(f'  unexpected: {line}')
        for line in sorted(set(SELF_TEST_EXPECTED) - set(found)):
            print(f'  missed: {line}')
        return 1
    print(f'self-test: {len(found)} planted mistakes found, nothing else')
    return 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} SOURCE_ROOT | --self-test', file=sys.stderr)
        return 2
    problems = check_tree(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} strings or files to fix: mark user-visible strings with _() '
              '(N_() in tables) and list the file in po/POTFILES')
        return 1
    print('every user-visible string is marked for translation')
    return 0


if __name__ == '__main__':
    sys.exit(main())
