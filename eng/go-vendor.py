#!/usr/bin/env python3
"""Builds a Go module's vendor/ from Debian's Go source packages, offline: the modules go.mod requires, each from
the package that holds it at a matching version, pruned to the packages the module imports on linux/amd64 and
linux/arm64, with a vendor/modules.txt the go command accepts (-mod=vendor). Called by eng/go-vendor.sh.

usage: go-vendor.py <go> <module dir> <packages root> <output vendor dir>
  <packages root>/<debian package>/ holds each package extracted (dpkg -x), with a VERSION file beside usr/.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

GOCODE = os.path.join("usr", "share", "gocode", "src")


def fail(message):
    print(f"go-vendor: {message}", file=sys.stderr)
    sys.exit(1)


def read_requires(go_mod):
    """(path, version) of every require of go.mod, single-line and block form."""
    requires, block = [], False
    for raw in open(go_mod, encoding="utf-8"):
        line = raw.split("//", 1)[0].strip()
        if line.startswith("require ("):
            block = True
            continue
        if block and line == ")":
            block = False
            continue
        if line.startswith("require "):
            line = line[len("require "):].strip()
        elif not block:
            continue
        parts = line.split()
        if len(parts) == 2:
            requires.append((parts[0].strip('"'), parts[1]))
    return requires


def module_line(go_mod):
    """The module path and go version a go.mod declares."""
    path, go = None, None
    for raw in open(go_mod, encoding="utf-8"):
        line = raw.split("//", 1)[0].strip()
        if line.startswith("module "):
            path = line[len("module "):].strip().strip('"')
        elif line.startswith("go ") and go is None:
            go = line[3:].strip()
    return path, go


def matches(module_version, debian_version):
    """A tagged version must be the Debian upstream version's start; a pseudo-version must name its commit."""
    upstream = re.sub(r"^\d+:", "", debian_version).rsplit("-", 1)[0] if "-" in debian_version else re.sub(r"^\d+:", "", debian_version)
    pseudo = re.match(r"^v[0-9.]+-(?:[0-9A-Za-z.]+\.)?\d{14}-([0-9a-f]+)$", module_version)
    if pseudo:
        return pseudo.group(1)[:7] in debian_version
    core = module_version[1:].split("+")[0]
    return upstream == core or upstream.startswith(core + "+") or upstream.startswith(core + "~") or upstream.startswith(core + ".")


def find_modules(packages_root):
    """module path -> (directory, go version, debian package, debian version) of every module the packages hold."""
    found = {}
    for package in sorted(os.listdir(packages_root)):
        root = os.path.join(packages_root, package)
        version = open(os.path.join(root, "VERSION"), encoding="utf-8").read().strip()
        src = os.path.join(root, GOCODE)
        for folder, dirs, files in os.walk(src):
            dirs[:] = [d for d in dirs if d not in ("testdata", "vendor") and not d.startswith((".", "_"))]
            if "go.mod" in files:
                path, go = module_line(os.path.join(folder, "go.mod"))
                if path:
                    found.setdefault(path, (folder, go, package, version))
        # A package without go.mod (pre-modules code): its import path is the module path.
        for folder, dirs, files in os.walk(src):
            dirs[:] = [d for d in dirs if d not in ("testdata", "vendor") and not d.startswith((".", "_"))]
            if any(f.endswith(".go") for f in files):
                path = os.path.relpath(folder, src)
                if not any(path == m or path.startswith(m + "/") for m in found):
                    found.setdefault(path, (folder, None, package, version))
                dirs[:] = []
    return found


def packages_of(module_path, module_dir):
    """import path -> folder of every package of the module (nested modules, testdata and tests left out)."""
    packages = {}
    for folder, dirs, files in os.walk(module_dir):
        dirs[:] = sorted(d for d in dirs if d not in ("testdata", "vendor") and not d.startswith((".", "_"))
                         and not os.path.exists(os.path.join(folder, d, "go.mod")))
        if any(f.endswith(".go") and not f.endswith("_test.go") for f in files):
            relative = os.path.relpath(folder, module_dir)
            packages[module_path if relative == "." else f"{module_path}/{relative}"] = folder
    return packages


def gopath_rewrites(modules):
    """Debian builds in GOPATH mode: a /vN module sits at its path without /vN, and Debian's patches import it
    from there (github.com/cespare/xxhash for github.com/cespare/xxhash/v2). In module mode those imports name
    the module path."""
    rewrites = {}
    for path, (folder, _, package, _) in modules.items():
        gopath = folder.split(GOCODE + os.sep, 1)[1].replace(os.sep, "/")
        if gopath != path and re.search(r"/v\d+$", path) and path.startswith(gopath + "/"):
            rewrites[gopath] = path
    return rewrites


def rewrite_imports(code, rewrites):
    def fix(match):
        name = match.group(1)
        for gopath, path in rewrites.items():
            if (name == gopath or name.startswith(gopath + "/")) and not (name == path or name.startswith(path + "/")):
                return '"' + path + name[len(gopath):] + '"'
        return match.group(0)
    return re.sub(r'"([a-z0-9.-]+\.[a-z]+/[^"\s]+)"', fix, code)


def write_vendor(vendor, modules, requires, chosen):
    """Copies the chosen packages' files (tests left out) and the modules' licences; writes modules.txt."""
    rewrites = gopath_rewrites(modules)
    os.makedirs(vendor, exist_ok=True)
    lines = []
    for path, version in sorted(requires):
        module_dir, go, _, _ = modules[path]
        lines.append(f"# {path} {version}")
        lines.append("## explicit" + (f"; go {go}" if go else ""))
        packages = packages_of(path, module_dir)
        for package in sorted(p for p in packages if chosen is None or p in chosen):
            lines.append(package)
            target = os.path.join(vendor, package)
            os.makedirs(target, exist_ok=True)
            for name in sorted(os.listdir(packages[package])):
                source = os.path.join(packages[package], name)
                if os.path.isfile(source) and name.endswith(".go") and not name.endswith("_test.go"):
                    with open(source, encoding="utf-8") as f:
                        code = rewrite_imports(f.read(), rewrites)
                    with open(os.path.join(target, name), "w", encoding="utf-8") as f:
                        f.write(code)
                elif os.path.isfile(source) and not name.endswith("_test.go"):
                    shutil.copyfile(source, os.path.join(target, name))
        for name in sorted(os.listdir(module_dir)):
            if re.match(r"^(LICEN[CS]E|COPYING|NOTICE|PATENTS|AUTHORS)", name, re.IGNORECASE) and os.path.isfile(os.path.join(module_dir, name)):
                os.makedirs(os.path.join(vendor, path), exist_ok=True)
                shutil.copyfile(os.path.join(module_dir, name), os.path.join(vendor, path, name))
    with open(os.path.join(vendor, "modules.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def go_env(goarch):
    env = dict(os.environ, GOFLAGS="-mod=vendor", GOPROXY="off", GOTOOLCHAIN="local", GOWORK="off",
               CGO_ENABLED="0", GOOS="linux", GOARCH=goarch)
    env.setdefault("GOCACHE", os.path.join(tempfile.gettempdir(), "stevedore-go-vendor-cache"))
    return env


def main():
    go, module_dir, packages_root, output = sys.argv[1:5]
    requires = read_requires(os.path.join(module_dir, "go.mod"))
    main_path, _ = module_line(os.path.join(module_dir, "go.mod"))
    modules = find_modules(packages_root)
    for path, version in requires:
        if path not in modules:
            fail(f"no Debian package of {os.path.basename(packages_root)} holds {path} (go.mod requires {version}); add it to go-vendor.packages")
        _, _, package, debian_version = modules[path]
        if not matches(version, debian_version):
            fail(f"go.mod requires {path} {version}, but {package} is {debian_version}: set go.mod to the packaged version")

    with tempfile.TemporaryDirectory() as work:
        # 1. Every package of every required module, so the go command can tell which ones the module imports.
        copy = os.path.join(work, "module")
        shutil.copytree(module_dir, copy, ignore=shutil.ignore_patterns("vendor", "bin", "obj", ".git"))
        write_vendor(os.path.join(copy, "vendor"), modules, requires, None)
        chosen = set()
        for goarch in ("amd64", "arm64"):
            listed = subprocess.run([go, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./..."],
                                    cwd=copy, env=go_env(goarch), capture_output=True, text=True)
            if listed.returncode != 0:
                fail(f"go list (linux/{goarch}) failed:\n{listed.stderr}")
            chosen.update(p for p in listed.stdout.split() if p != main_path and not p.startswith(main_path + "/"))

        # 2. Only those, as `go mod vendor` would keep them; then the module must build from them for both platforms.
        shutil.rmtree(os.path.join(copy, "vendor"))
        write_vendor(os.path.join(copy, "vendor"), modules, requires, chosen)
        for goarch in ("amd64", "arm64"):
            built = subprocess.run([go, "build", "-o", os.devnull, "./..."], cwd=copy, env=go_env(goarch), capture_output=True, text=True)
            if built.returncode != 0:
                fail(f"go build -mod=vendor (linux/{goarch}) failed:\n{built.stderr}")

        if os.path.exists(output):
            shutil.rmtree(output)
        shutil.move(os.path.join(copy, "vendor"), output)
    print(f"vendored {len(requires)} modules, {len(chosen)} packages from {len({modules[p][2] for p, _ in requires})} Debian packages")


if __name__ == "__main__":
    main()
