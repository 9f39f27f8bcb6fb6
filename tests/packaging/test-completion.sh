#!/bin/bash
# test-completion.sh CLI-COMPLETION SIM-COMPLETION CLI SIM: the bash
# completions, in a plain bash without the bash-completion package, against
# what the programs' --help say. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

if [ $# -ne 4 ]; then
    echo "usage: $0 CLI-COMPLETION SIM-COMPLETION CLI SIM" >&2
    exit 2
fi
cli_completion=$1 sim_completion=$2 cli=$3 sim=$4

# shellcheck source=/dev/null
source "$cli_completion"
# shellcheck source=/dev/null
source "$sim_completion"
# As bash sets them by default
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'

number=0
failed=0
# The board ids must not depend on the profiles of whoever runs the tests
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
export XDG_CONFIG_HOME=$folder/config

# Runs @function as bash would for the command line @line, the cursor at
# its end; the replies, sorted, one a line, go to $replies
complete_line()
{
    local function=$1 line=$2
    COMP_LINE=$line
    COMP_POINT=${#line}
    read -r -a COMP_WORDS <<< "$line"
    [[ $line == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    "$function"
    replies=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort)
}

result()
{
    local ok=$1 name=$2
    number=$((number + 1))
    if [ "$ok" = yes ]; then
        echo "ok $number - $name"
    else
        echo "not ok $number - $name"
        failed=$((failed + 1))
    fi
}

# Checks that @line completes to exactly the words of @expected
expect()
{
    local function=$1 line=$2 expected
    local -a words
    read -r -d '' -a words <<< "$3"
    expected=$(printf '%s\n' "${words[@]}" | sed '/^$/d' | sort)
    complete_line "$function" "$line"
    if [ "$replies" = "$expected" ]; then
        result yes "[$line] completes to: ${expected//$'\n'/ }"
    else
        echo "# expected: ${expected//$'\n'/ }"
        echo "# got:      ${replies//$'\n'/ }"
        result no "[$line] completes to: ${expected//$'\n'/ }"
    fi
}

# The long options of a GOption --help
long_options()
{
    sed -n 's/^ \{2,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p'
}

expect _flash_studio_cli "flash-studio-cli wr" "write"
expect _flash_studio_cli "flash-studio-cli write --af" "--after"
expect _flash_studio_cli "flash-studio-cli write --after " "hard-reset no-reset"
expect _flash_studio_cli "flash-studio-cli write --after=" "hard-reset no-reset"
expect _flash_studio_cli "flash-studio-cli write --port /dev/ttyUSB0 --after=h" "hard-reset"
expect _flash_studio_cli "flash-studio-cli chip-info --before " "default-reset no-reset manual"
expect _flash_studio_cli "flash-studio-cli layout " "list show table"
expect _flash_studio_cli "flash-studio-cli slot --port sim:esp32-devkit " "show switch"
expect _flash_studio_cli "flash-studio-cli slot show " ""
expect _flash_studio_cli "flash-studio-cli partition-table --format " "binary csv"

# Every command of --help, and nothing else
commands=$("$cli" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || result no "flash-studio-cli --help lists commands"
expect _flash_studio_cli "$cli " "$commands --help --version"

# Every long option of each command's --help, and nothing else
for command in $commands; do
    expect _flash_studio_cli "$cli $command --" "$("$cli" "$command" --help | long_options)"
done

# Board ids come from the command itself, its own profiles included
boards=$("$cli" boards | sed -n '2,$s/^\([a-z0-9][a-z0-9-]*\) .*/\1/p')
[ -n "$boards" ] || result no "flash-studio-cli boards lists boards"
expect _flash_studio_cli "$cli chip-info --board " "$boards"
expect _flash_studio_cli "$cli chip-info --board=" "$boards"
# After "sim:", readline completes only what follows the colon
expect _flash_studio_cli "$cli read-mac --port sim:" "$boards"
expect _flash_studio_cli "$cli read-mac --port sim:hel" "heltec-wifi-kit-32"

# Files where a command takes a file
touch "$folder/firmware.bin" "$folder/other.csv"
expect _flash_studio_cli "flash-studio-cli image-info $folder/fir" "$folder/firmware.bin"
expect _flash_studio_cli "flash-studio-cli write --port /dev/ttyUSB0 0x10000 $folder/o" "$folder/other.csv"
expect _flash_studio_cli "flash-studio-cli monitor --log $folder/f" "$folder/firmware.bin"
expect _flash_studio_cli "flash-studio-cli chip-info $folder/fir" ""

# flash-studio-sim: its options, and the ids from the flash-studio-cli in PATH
expect _flash_studio_sim "$sim --" "$("$sim" --help | long_options)"
PATH=$(dirname "$cli"):$PATH expect _flash_studio_sim "$sim --board " "$boards"
PATH=$(dirname "$cli"):$PATH expect _flash_studio_sim "$sim --board=pyc" "pycom-fipy"
expect _flash_studio_sim "$sim --revision " "0 1 2 3"
expect _flash_studio_sim "$sim --flash-file $folder/fir" "$folder/firmware.bin"

echo "1..$number"
[ "$failed" -eq 0 ]
