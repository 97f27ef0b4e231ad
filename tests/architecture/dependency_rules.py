#!/usr/bin/env python3
"""Fails when a dependency points the wrong way (docs/ARCHITECTURE.md, "Dependency directions").

Two views of the same rules:
- includes: every source file's quoted includes, followed through our own headers, so a module
  that reaches <xapian.h> through another module's header is caught too;
- links: the CMake targets' link libraries as configured (links.txt, written by CMakeLists.txt),
  followed through usage requirements (what a target gets to compile against) and, for the
  modules that must not even link a module, through everything.

Usage: dependency_rules.py SOURCE_DIR LINKS_FILE. Prints every violation; exit 1 if any.
"""
import os
import re
import sys

# Module: source directory. A file belongs to the module whose directory holds it.
MODULES = {
    "text": "common/text", "record": "common/record", "parse": "common/parse", "export": "common/export",
    "graph": "common/graph", "analysis": "common/analysis", "schema": "common/schema", "store": "common/store", "index": "common/index", "search": "common/search",
    "http": "server/http",
}

# Modules whose code (their own files and every header of ours they include) never sees Xapian.
NO_XAPIAN = ["text", "record", "parse", "export", "graph", "http"]

# The modules each module may include from (itself always). What is not listed is forbidden:
# text depends on nothing of ours; the readers and writers not on analysis, the index or search.
MAY_INCLUDE = {
    "text": [],
    "record": [],
    "parse": ["record", "text"],
    "export": ["record", "parse", "text"],
    "graph": ["record", "text"],
    "analysis": ["text"],
    "schema": [],
    # The store opens, locks and names databases: it knows the versions, not records or documents.
    "store": ["record", "analysis", "schema"],
    "index": ["record", "parse", "graph", "analysis", "schema", "store", "text"],
    "search": ["record", "analysis", "schema", "store", "index", "graph", "export", "text"],
    "http": ["record", "export", "search", "text"],
}

# CMake targets of the modules, and the targets each must not reach.
TARGETS = {name: "scholarsearch_" + name for name in MODULES}
NO_LINK = {
    "text": [TARGETS[m] for m in MODULES if m != "text"],
    "record": [TARGETS[m] for m in MODULES if m != "record"],
    "parse": [TARGETS[m] for m in ("analysis", "index", "search", "http", "export")],
    "export": [TARGETS[m] for m in ("analysis", "index", "search", "http")],
    "graph": [TARGETS[m] for m in ("parse", "export", "analysis", "index", "search", "http")],
    "store": [TARGETS[m] for m in ("parse", "export", "graph", "index", "search", "http")],
}
XAPIAN_TARGET = "Xapian::Xapian"

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def module_of(relative_path):
    for name, directory in MODULES.items():
        if relative_path.startswith(directory + "/"):
            return name
    return None


def resolve(source_dir, including_file, target):
    """Our file that `#include "target"` names, or None for a system header."""
    for base in (os.path.dirname(including_file), os.path.join(source_dir, "common"),
                 os.path.join(source_dir, "server")):
        candidate = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(candidate) and candidate.startswith(source_dir + os.sep):
            return candidate
    return None


def check_includes(source_dir):
    problems = []
    includes = {}   # file -> [(kind, name, resolved)]

    def parsed(path):
        if path not in includes:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            includes[path] = [(kind, name, resolve(source_dir, path, name) if kind == '"' else None)
                              for kind, name in INCLUDE.findall(text)]
        return includes[path]

    def reaches_xapian(path, seen):
        """The chain of our headers from `path` to <xapian.h>, or None."""
        if path in seen:
            return None
        seen.add(path)
        for kind, name, resolved in parsed(path):
            if name == "xapian.h" or name.startswith("xapian/"):
                return [os.path.relpath(path, source_dir), "<" + name + ">"]
            if resolved:
                chain = reaches_xapian(resolved, seen)
                if chain:
                    return [os.path.relpath(path, source_dir)] + chain
        return None

    for name, directory in MODULES.items():
        root = os.path.join(source_dir, directory)
        for file_name in sorted(os.listdir(root)):
            if not file_name.endswith((".cpp", ".hpp", ".cpp.in")):
                continue
            path = os.path.join(root, file_name)
            relative = os.path.relpath(path, source_dir)
            for kind, included, resolved in parsed(path):
                if not resolved:
                    continue
                target_module = module_of(os.path.relpath(resolved, source_dir))
                if target_module and target_module != name and target_module not in MAY_INCLUDE[name]:
                    problems.append(f"{relative}: includes \"{included}\": {name} must not depend on {target_module}")
            if name in NO_XAPIAN:
                chain = reaches_xapian(path, set())
                if chain:
                    problems.append(f"{relative}: reaches Xapian ({' -> '.join(chain)}): {name} must not use Xapian")
    return problems


def read_links(links_file):
    """target -> (LINK_LIBRARIES, INTERFACE_LINK_LIBRARIES), aliases resolved."""
    links = {}
    aliases = {}
    with open(links_file, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "alias":
                aliases[parts[1]] = parts[2]
            elif parts[0] == "target":
                links[parts[1]] = (parts[2].split(";") if parts[2] else [], parts[3].split(";") if parts[3] else [])

    def name(entry):
        return aliases.get(entry, entry)

    return {target: ([name(e) for e in direct], [name(e) for e in interface])
            for target, (direct, interface) in links.items()}, name


LINK_ONLY = re.compile(r"^\$<LINK_ONLY:(.*)>$")


def closure(links, name, start, with_link_only):
    """Every target `start` reaches: its link libraries, then their interface link libraries."""
    reached, queue = set(), list(links[start][0])
    while queue:
        entry = queue.pop()
        only = LINK_ONLY.match(entry)
        if only:
            if not with_link_only:
                continue
            entry = name(only.group(1))
        if entry in reached:
            continue
        reached.add(entry)
        if entry in links:
            queue.extend(links[entry][1])
    return reached


def check_links(links_file):
    links, name = read_links(links_file)
    problems = []
    for module in NO_XAPIAN:
        target = TARGETS[module]
        if target not in links:
            problems.append(f"links: no target {target} (links.txt is stale or the module was renamed)")
            continue
        if XAPIAN_TARGET in closure(links, name, target, with_link_only=False):
            problems.append(f"links: {target} compiles against {XAPIAN_TARGET}: {module} must not use Xapian")
    for module, forbidden in NO_LINK.items():
        reached = closure(links, name, TARGETS[module], with_link_only=True)
        for target in forbidden:
            if target in reached:
                problems.append(f"links: {TARGETS[module]} links {target}: {module} must not depend on it")
    return problems


def main():
    source_dir, links_file = os.path.abspath(sys.argv[1]), sys.argv[2]
    problems = check_includes(source_dir) + check_links(links_file)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} dependencies point the wrong way (see docs/ARCHITECTURE.md)")
        return 1
    print("every dependency points the right way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
