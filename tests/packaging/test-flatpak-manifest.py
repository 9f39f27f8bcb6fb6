#!/usr/bin/env python3
# test-flatpak-manifest.py MANIFEST APP-ID COMMAND: checks the Flatpak
# manifest, and that the checks catch a broken copy of it. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import copy
import json
import os
import re
import sys
import tempfile

RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
OLDEST_RUNTIME = 47
# Each one is explained in flatpak/README.md; a new one needs a reason there
PERMISSIONS = {
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=all",
    "--filesystem=/run/udev:ro",
}
SHA256 = re.compile(r"[0-9a-f]{64}")
GIT_COMMIT = re.compile(r"[0-9a-f]{40}")


def check_source(module, source):
    """The problems of one source of @module"""
    name = module.get("name", "?")
    kind = source.get("type")
    problems = []
    if kind in ("archive", "file"):
        url = source.get("url", "")
        if "url" in source and not url.startswith("https://"):
            problems.append(f"module “{name}”: {url} is not an https URL")
        if "url" in source and not SHA256.fullmatch(source.get("sha256", "")):
            problems.append(f"module “{name}”: {url} has no SHA-256 (64 hex digits)")
    elif kind == "git":
        url = source.get("url", "")
        if not url.startswith("https://"):
            problems.append(f"module “{name}”: {url} is not an https URL")
        if not GIT_COMMIT.fullmatch(source.get("commit", "")):
            problems.append(f"module “{name}”: the git source {url} names no commit (40 hex digits)")
    return problems


def check_modules(modules):
    problems = []
    for module in modules:
        if not isinstance(module, dict):
            problems.append(f"module {module!r} is in a file of its own: keep modules in the manifest, where this test sees them")
            continue
        for source in module.get("sources", []):
            problems += check_source(module, source)
        problems += check_modules(module.get("modules", []))
    return problems


def check_app_module(module):
    """The last module: this checkout, built with meson"""
    problems = []
    name = module.get("name", "?")
    if module.get("buildsystem") != "meson":
        problems.append(f"the last module, “{name}”, is not built with meson")
    sources = [{k: v for k, v in source.items() if k != "skip"} for source in module.get("sources", [])]
    if sources != [{"type": "dir", "path": ".."}]:
        problems.append(f"the last module, “{name}”, does not build the checkout (a dir source with path “..”)")
    options = module.get("config-opts", [])
    if "--buildtype=release" not in options:
        problems.append(f"the last module, “{name}”, is not a release build (--buildtype=release)")
    if "-Dtests=disabled" not in options:
        problems.append(f"the last module, “{name}”, builds the tests, which need umockdev (-Dtests=disabled)")
    return problems


def check_manifest(manifest, app_id, command):
    """Every problem of @manifest, one sentence each"""
    problems = []
    found_id = manifest.get("id", manifest.get("app-id"))
    if found_id != app_id:
        problems.append(f"the app id is “{found_id}”, not the application's “{app_id}”")
    if manifest.get("runtime") != RUNTIME or manifest.get("sdk") != SDK:
        problems.append(f"the runtime and Sdk are not {RUNTIME} and {SDK}")
    version = str(manifest.get("runtime-version", ""))
    if not version.isdigit() or int(version) < OLDEST_RUNTIME:
        problems.append(f"the runtime version “{version}” is not a GNOME release from {OLDEST_RUNTIME} on")
    if manifest.get("command") != command:
        problems.append(f"the command is “{manifest.get('command')}”, not “{command}”")

    args = manifest.get("finish-args", [])
    if "--share=network" in args:
        problems.append("the app has the network (--share=network): it works offline")
    if "--device=all" not in args:
        problems.append("the app cannot open serial ports (no --device=all)")
    for arg in sorted(set(args) - PERMISSIONS - {"--share=network"}):
        problems.append(f"{arg} is not a permission flatpak/README.md explains")
    for arg in sorted(PERMISSIONS - set(args) - {"--device=all"}):
        problems.append(f"{arg} is missing from finish-args")

    modules = manifest.get("modules", [])
    problems += check_modules(modules)
    if not modules or not isinstance(modules[-1], dict):
        problems.append("the manifest builds no app module last")
    else:
        problems += check_app_module(modules[-1])
    return problems


def problems_of_copy(manifest, change, app_id, command):
    """The problems of a copy of @manifest changed by @change, read back
    from a temporary file as the real one is"""
    broken = copy.deepcopy(manifest)
    change(broken)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "manifest.json")
        with open(path, "w", encoding="utf-8") as file:
            json.dump(broken, file)
        with open(path, encoding="utf-8") as file:
            return check_manifest(json.load(file), app_id, command)


def first_archive(manifest):
    for module in manifest["modules"]:
        for source in module.get("sources", []):
            if source.get("type") == "archive":
                return source
    raise AssertionError("the manifest has no archive source to break")


def drop_checksum(manifest):
    del first_archive(manifest)["sha256"]


def shorten_checksum(manifest):
    source = first_archive(manifest)
    source["sha256"] = source["sha256"][:63]


def plain_http(manifest):
    source = first_archive(manifest)
    source["url"] = source["url"].replace("https://", "http://")


def share_network(manifest):
    manifest["finish-args"].append("--share=network")


def drop_devices(manifest):
    manifest["finish-args"].remove("--device=all")


def add_home(manifest):
    manifest["finish-args"].append("--filesystem=home")


def git_without_commit(manifest):
    manifest["modules"].insert(0, {
        "name": "lib-from-git",
        "sources": [{"type": "git", "url": "https://example.org/lib.git", "tag": "v1.0"}],
    })


def app_not_last(manifest):
    manifest["modules"].append(copy.deepcopy(manifest["modules"][0]))


def app_from_elsewhere(manifest):
    manifest["modules"][-1]["sources"][0]["path"] = "../other-checkout"


def other_app_id(manifest):
    manifest["id"] = manifest["id"] + ".Other"


# Each broken copy, and a piece of the problem it must be reported with
BROKEN = [
    (drop_checksum, "has no SHA-256"),
    (shorten_checksum, "has no SHA-256"),
    (plain_http, "is not an https URL"),
    (share_network, "--share=network"),
    (drop_devices, "no --device=all"),
    (add_home, "--filesystem=home is not a permission"),
    (git_without_commit, "names no commit"),
    (app_not_last, "is not built with meson"),
    (app_from_elsewhere, "does not build the checkout"),
    (other_app_id, "not the application's"),
]


def main():
    if len(sys.argv) != 4:
        print(f"usage: {sys.argv[0]} MANIFEST APP-ID COMMAND", file=sys.stderr)
        return 2
    path, app_id, command = sys.argv[1:]
    with open(path, encoding="utf-8") as file:
        manifest = json.load(file)

    failed = 0
    print(f"1..{1 + len(BROKEN)}")
    problems = check_manifest(manifest, app_id, command)
    for problem in problems:
        print(f"# {path}: {problem}")
    print(f"{'not ok' if problems else 'ok'} 1 - {os.path.basename(path)}")
    failed += bool(problems)

    for number, (change, expected) in enumerate(BROKEN, start=2):
        found = problems_of_copy(manifest, change, app_id, command)
        caught = any(expected in problem for problem in found)
        if not caught:
            print(f"# expected a problem with “{expected}”, got: {found}")
        print(f"{'ok' if caught else 'not ok'} {number} - a copy with {change.__name__.replace('_', ' ')} fails")
        failed += not caught
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
