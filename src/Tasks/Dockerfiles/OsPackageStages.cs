namespace Stevedore.Tasks.Dockerfiles;

/// <summary>What ContainerOsPackage asks for: the packages, the base's package manager and how they are installed.</summary>
internal sealed record OsPackagePlan(IReadOnlyList<string> Packages, OsPackageManager Manager, OsPackageInstallMode Mode, string Reason);

/// <summary>
/// Adds the OS packages to a Dockerfile's final stage (the model's last), whatever the project kind. Unpack (apt): a stage on
/// the build platform resolves the packages for the target architecture against the target base's own dpkg database,
/// unpacks them into a staging root with their dpkg records, and the final stage copies that root: no emulation. Run: the
/// package manager runs in the final stage, as root, and leaves no index or cache in the layer.
/// </summary>
internal static class OsPackageStages
{
    /// <summary>The unpack step's working folder: downloaded .debs, indexes, dpkg records, the staging root.</summary>
    private const string WorkDirectory = "/stevedore";

    /// <summary>Where the build-platform stage stages what the final stage copies.</summary>
    public const string StagingRoot = WorkDirectory + "/root";

    /// <summary>Where the shared stage keeps the package indexes every platform's unpack step reads ($s/lists in the unpack script).</summary>
    private const string ListsDirectory = WorkDirectory + "/lists";

    /// <summary>The dpkg architectures whose indexes the shared stage fetches: those of Stevedore's default platforms.</summary>
    private static readonly string[] SharedListArchitectures = ["amd64", "arm64"];

    public static void AddTo(DockerfileModel model, OsPackagePlan plan)
    {
        if (plan.Packages.Count == 0)
        {
            return;
        }

        var final = model.Stages[^1];
        var names = string.Join(" ", plan.Packages);
        if (plan.Mode == OsPackageInstallMode.Unpack)
        {
            // The target platform's base, named so the build-platform stage can read its package database (no RUN here).
            var target = new DockerfileStage(final.Image, "os-base");
            var lists = new DockerfileStage(final.Image, "os-lists", "$BUILDPLATFORM");
            lists.Add("RUN", AptSources.PerArchitectureScript(),
                    "An Ubuntu base lists only its own architecture's mirror: Ubuntu serves amd64 and i386 from archive.ubuntu.com and security.ubuntu.com, the others from ports.ubuntu.com, so each source is restricted to what its mirror serves and twinned on the other; Debian's and a site's own mirrors stay as they are.")
                .Add("RUN", ListsScript(),
                "The package indexes, fetched once on the build machine for every architecture Stevedore builds by default: this stage does not depend on the target, so BuildKit runs it once for all platforms.");
            var unpack = new DockerfileStage(final.Image, "os-packages", "$BUILDPLATFORM");
            unpack.Add("RUN", AptSources.PerArchitectureScript(), "The same sources as os-lists, so apt finds the indexes fetched there.")
                .Add("ARG", "TARGETARCH", "Runs on the build machine: apt resolves and downloads the target architecture's packages, nothing of them runs here.")
                .Add("COPY", "--from=os-base /var/lib/dpkg/status /stevedore/status",
                    "Resolved against what the target base already has, so only the missing packages are added.")
                .Add("COPY", $"--from=os-lists {ListsDirectory} {ListsDirectory}")
                .Add("RUN", UnpackScript(names),
                    "Unpacked into a staging root with their dpkg records (status, file lists), so `dpkg -l`, scanners and SBOMs see them; no apt index or .deb reaches the image.");
            model.Stages.Insert(model.Stages.Count - 1, target);
            model.Stages.Insert(model.Stages.Count - 1, lists);
            model.Stages.Insert(model.Stages.Count - 1, unpack);
            final.Instructions.Insert(0, new DockerfileInstruction("COPY", $"--from=os-packages {StagingRoot}/ /",
                "The OS packages (ContainerOsPackage) for this platform, unpacked without emulation; below the app, so an app edit keeps this layer."));
            return;
        }

        final.Instructions.Insert(0, new DockerfileInstruction("USER", "root",
            "The OS packages (ContainerOsPackage), installed by the base's package manager (emulated for a foreign platform); below the app, so an app edit keeps this layer."));
        final.Instructions.Insert(1, new DockerfileInstruction("RUN", RunCommand(plan.Manager, names)));
    }

    // No package index or cache is left in the layer; the final stage switches back to the app user at its end. No
    // description translations are fetched (Acquire::Languages=none): nothing reads them, and they are half the index.
    private static string RunCommand(OsPackageManager manager, string names) => manager switch
    {
        OsPackageManager.Apk => $"apk add --no-cache {names}",
        OsPackageManager.Tdnf => $"tdnf install -y {names} \\\n && tdnf clean all",
        _ => $"apt-get -o Acquire::Languages=none update \\\n && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {names} \\\n"
            + " && apt-get clean \\\n && rm -rf /var/lib/apt/lists/*",
    };

    // One `apt-get update` for every default architecture (a second architecture adds its index download, not a second
    // update); no lock or partial download is left for the platforms' stages to copy. apt's package cache is not built
    // here (pkgCacheFile::Generate=false): it would hold both architectures, and each platform's step builds its own.
    private static string ListsScript()
    {
        var architectures = string.Concat(SharedListArchitectures.Select(a => " -o APT::Architectures::=" + a));
        return $"mkdir -p {ListsDirectory}/partial \\\n && apt-get -q -o Acquire::Languages=none -o pkgCacheFile::Generate=false{architectures} -o Dir::State::Lists={ListsDirectory} update \\\n"
            + $" && rm -rf {ListsDirectory}/partial {ListsDirectory}/lock";
    }

    private static string UnpackScript(string names)
    {
        // dpkg names differ from Docker's TARGETARCH for a few architectures.
        string[] lines =
        [
            "set -eu;",
            "case \"$TARGETARCH\" in arm) a=armhf;; 386) a=i386;; ppc64le) a=ppc64el;; *) a=\"$TARGETARCH\";; esac;",
            $"s={WorkDirectory}; r={StagingRoot}; mkdir -p $s/debs/partial $s/lists/partial $s/control $r/var/lib/dpkg/info; : >$s/installed; : >$s/new; : >$s/scripts;",
            "apt=\"apt-get -q -o Acquire::Languages=none -o APT::Architecture=$a -o APT::Architectures::=$a -o Dir::State::status=$s/status -o Dir::Cache::archives=$s/debs -o Dir::State::Lists=$s/lists\";",
            // The shared indexes cover the default architectures; another one (arm, 386, …) fetches its own.
            "if ! ls $s/lists/*_binary-${a}_Packages* >/dev/null 2>&1; then $apt update; fi;",
            $"DEBIAN_FRONTEND=noninteractive $apt install -y --download-only --no-install-recommends {names};",
            // Merged /usr: unpack /bin, /sbin and /lib through the same links the base has.
            "for d in bin sbin lib; do if [ -L /$d ]; then cp -P /$d $r/; fi; done;",
            "for deb in $s/debs/*.deb; do",
            "  if [ ! -e \"$deb\" ]; then continue; fi;",
            // The control fields are read once ($c), and data.tar is decompressed once: tar lists what it extracts (into a
            // file, not a pipe, so a failed extraction stops the step: sh has no pipefail).
            "  rm -rf $s/control; dpkg-deb -e \"$deb\" $s/control; c=$(dpkg-deb -f \"$deb\");",
            "  p=$(printf '%s\\n' \"$c\" | sed -n 's/^Package: //p'); n=$p; if printf '%s\\n' \"$c\" | grep -qx 'Multi-Arch: same'; then n=\"$p:$a\"; fi;",
            "  dpkg-deb --fsys-tarfile \"$deb\" | tar -xv --keep-directory-symlink -C $r >$s/members;",
            "  sed -e 's|^\\.||' -e 's|/$||' -e 's|^$|/.|' $s/members >$r/var/lib/dpkg/info/$n.list;",
            "  if [ -f $s/control/md5sums ]; then cp $s/control/md5sums $r/var/lib/dpkg/info/$n.md5sums; fi;",
            "  if [ -f $s/control/preinst ] || [ -f $s/control/postinst ]; then echo \"$p\" >>$s/scripts; fi;",
            "  echo \"$p\" >>$s/installed;",
            "  { echo \"Package: $p\"; echo 'Status: install ok installed'; printf '%s\\n' \"$c\" | sed '/^Package:/d';",
            "    if [ -s $s/control/conffiles ]; then echo 'Conffiles:'; while read -r f; do if [ -f \"$r$f\" ]; then echo \" $f $(md5sum <\"$r$f\" | cut -d' ' -f1)\"; fi; done <$s/control/conffiles; fi;",
            "    echo; } >>$s/new;",
            "done;",
            // The target base's records minus the packages replaced, then the new ones: one status file for dpkg and scanners.
            "awk -v list=\"$(cat $s/installed)\" 'BEGIN { RS = \"\"; ORS = \"\\n\\n\"; n = split(list, p, \"\\n\"); for (i = 1; i <= n; i++) skip[\"Package: \" p[i]] = 1 }"
                + " { split($0, l, \"\\n\"); if (!(l[1] in skip)) print }' $s/status >$r/var/lib/dpkg/status;",
            "cat $s/new >>$r/var/lib/dpkg/status;",
            "if [ -s $s/scripts ]; then echo \"Stevedore: unpacked for $a without running the maintainer scripts of: $(tr '\\n' ' ' <$s/scripts)\"; fi",
        ];
        return string.Join(" \\\n", lines);
    }
}
