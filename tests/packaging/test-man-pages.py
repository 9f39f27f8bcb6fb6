#!/usr/bin/env python3
# test-man-pages.py GROFF CLI CLI-PAGE SIM SIM-PAGE: the man pages render
# without a warning and cannot go stale silently: every command and long
# option the programs' --help lists is in them. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import subprocess
import sys

# A tag of a .TP list, rendered with man's default indent
TAG = re.compile(r"^ {7}(?! )(.*)$")


class Tap:
    def __init__(self):
        self.number = 0
        self.failed = 0

    def check(self, ok, name, problems=()):
        self.number += 1
        for problem in problems:
            print(f"# {problem}")
        print(f"{'ok' if ok else 'not ok'} {self.number} - {name}")
        self.failed += not ok


def run(*args):
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout, result.stderr


def render(groff, page):
    """The page as plain text, a paragraph a line; and groff's warnings"""
    status, text, warnings = run(groff, "-man", "-ww", "-Tascii", "-P-cbou", "-rLL=2000n", page)
    if status != 0:
        warnings += f"groff exited with {status}"
    return text, warnings.strip()


def section(text, title):
    """The lines of the section @title of a rendered page"""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if re.match(r"^[A-Z]", lines[i])), len(lines))
    return lines[start:end]


def has_token(text, token):
    return re.search(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])", text) is not None


def long_options(help_text):
    """The long options of the option lines of a GOption --help"""
    options = []
    for line in help_text.splitlines():
        if re.match(r"^\s+-", line):
            names = re.split(r"\s{2,}", line.strip())[0]
            options += re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", names)
    return options


def cli_commands(cli):
    status, text, _ = run(cli, "--help")
    assert status == 0, f"{cli} --help exited with {status}"
    lines = text.splitlines()
    commands = []
    for line in lines[lines.index("Commands:") + 1:]:
        if not line.strip():
            break
        commands.append(line.split()[0])
    return commands


def sim_commands(help_text):
    """The commands of the board's command list in flash-studio-sim --help,
    as the words that name them: "fault drop", "jumper", "unplug", "plug"…"""
    lines = help_text.splitlines()
    start = next(i for i, line in enumerate(lines) if "is a command to the board" in line) + 2
    commands = []
    for line in lines[start:]:
        if not line.strip():
            break
        # The usage ends where two spaces start the description, or after
        # its argument: "fault stub-hang on|off an uploaded stub…" has one
        usage = []
        for word in re.split(r"\s{2,}", line.strip())[0].split():
            usage.append(word)
            if word == "on|off" or word.isupper():
                break
        usage = " ".join(usage)
        # "unplug | plug" is two commands; in "jumper on|off", on and off
        # are values, as the capitals of "fault drop RATE" are
        for alternative in usage.split("|"):
            words = [word for word in alternative.split()
                     if re.fullmatch(r"[a-z][a-z-]*", word) and word not in ("on", "off")]
            if words:
                commands.append(" ".join(words))
    return commands


def main():
    if len(sys.argv) != 6:
        print(f"usage: {sys.argv[0]} GROFF CLI CLI-PAGE SIM SIM-PAGE", file=sys.stderr)
        return 2
    groff, cli, cli_page, sim, sim_page = sys.argv[1:]
    tap = Tap()

    cli_text, warnings = render(groff, cli_page)
    tap.check(not warnings and cli_text, "flash-studio-cli.1 renders without a warning", warnings.splitlines())
    sim_text, warnings = render(groff, sim_page)
    tap.check(not warnings and sim_text, "flash-studio-sim.1 renders without a warning", warnings.splitlines())

    # Each command has an entry of its own in COMMANDS
    tags = [m.group(1) for line in section(cli_text, "COMMANDS") if (m := TAG.match(line))]
    commands = cli_commands(cli)
    missing = [c for c in commands if not any(tag == c or tag.startswith(c + " ") for tag in tags)]
    tap.check(commands and not missing, f"the {len(commands)} commands of flash-studio-cli --help have an entry",
              [f"no entry for “{c}” in flash-studio-cli.1" for c in missing])

    for command in commands:
        status, text, _ = run(cli, command, "--help")
        options = long_options(text) if status == 0 else []
        missing = [o for o in options if not has_token(cli_text, o)]
        tap.check(options and not missing, f"the options of “{command} --help” are in flash-studio-cli.1",
                  [f"“{command} --help” exited with {status}"] * (status != 0) +
                  [f"{o} of {command} is not in flash-studio-cli.1" for o in missing])

    status, text, _ = run(sim, "--help")
    options = long_options(text) if status == 0 else []
    missing = [o for o in options if not has_token(sim_text, o)]
    tap.check(options and not missing, "the options of flash-studio-sim --help are in flash-studio-sim.1",
              [f"{o} is not in flash-studio-sim.1" for o in missing])

    board_commands = sim_commands(text)
    described = "\n".join(m.group(1) for line in section(sim_text, "COMMANDS") if (m := TAG.match(line)))
    missing = [c for c in board_commands if not has_token(described, c)]
    tap.check(board_commands and not missing,
              f"the {len(board_commands)} board commands of flash-studio-sim --help have an entry",
              [f"no entry for “{c}” in the COMMANDS of flash-studio-sim.1" for c in missing])

    print(f"1..{tap.number}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
