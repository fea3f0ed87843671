namespace Stevedore.Tasks.Dockerfiles;

/// <summary>
/// The apt sources of a stage that runs on the build platform and fetches packages for other architectures. Ubuntu's
/// images list only their own architecture's mirror, but Ubuntu serves amd64 and i386 from archive.ubuntu.com and
/// security.ubuntu.com and every other architecture from ports.ubuntu.com/ubuntu-ports: each source on one of these
/// mirrors drops the architectures it does not serve (deb822 `Architectures-Remove:`, one-line `[arch-=…]`: unlike
/// `Architectures:`, which would fetch every architecture it names, apt still fetches only those it is asked for) and
/// gets a twin on the other mirror for the rest. Any other source (Debian's mirrors, a site's own mirror) and any source that already
/// names its architectures stays as it is.
/// </summary>
internal static class AptSources
{
    /// <summary>The dpkg architectures archive.ubuntu.com and security.ubuntu.com serve (and ports.ubuntu.com does not).</summary>
    private const string ArchiveArchitectures = "amd64 i386";

    /// <summary>The dpkg architectures ports.ubuntu.com serves.</summary>
    private const string PortsArchitectures = "arm64 armhf ppc64el riscv64 s390x";

    /// <summary>
    /// A shell script that rewrites, in place, the source files apt reads (found with apt-config, so a base that moves
    /// them is followed): deb822 `.sources` files stanza by stanza, `sources.list` and `.list` files line by line.
    /// </summary>
    public static string PerArchitectureScript()
    {
        // One awk program for both formats (p=1: deb822 stanzas, one per paragraph); a twin keeps every field but the URI.
        string[] program =
        [
            "function official(u) { return u ~ /^https?:\\/\\/([a-z0-9-]+\\.)?(archive|security)\\.ubuntu\\.com\\/ubuntu\\/?$/ ? \"a\" : u ~ /^https?:\\/\\/ports\\.ubuntu\\.com\\/(ubuntu-ports\\/?)?$/ ? \"p\" : \"\" }",
            "function twin(u, k, s) { return substr(u, 1, index(u, \":\") + 2) (k == \"a\" ? \"ports.ubuntu.com/ubuntu-ports/\" : (s ~ /^([^ ]+-security ?)+$/ ? \"security\" : \"archive\") \".ubuntu.com/ubuntu/\") }",
            $"function archs(k, sep,  r) {{ r = k == \"a\" ? \"{ArchiveArchitectures}\" : \"{PortsArchitectures}\"; gsub(/ /, sep, r); return r }}",
            "BEGIN { if (p) RS = \"\" }",
            "p { n = split($0, l, \"\\n\"); u = \"\"; s = \"\"; a = 0;",
            "  for (i = 1; i <= n; i++) { f = tolower(l[i]); v = l[i]; sub(/^[^:]*:[ \\t]*/, \"\", v); sub(/[ \\t\\r]+$/, \"\", v);",
            "    if (f ~ /^uris:/) u = v; else if (f ~ /^suites:/) s = v; else if (f ~ /^architectures:/) a = 1 }",
            "  k = official(u); if (k == \"\" || a) { print $0 \"\\n\"; next }",
            "  print $0 \"\\nArchitectures-Remove: \" archs(k == \"a\" ? \"p\" : \"a\", \" \") \"\\n\"; t = \"\";",
            "  for (i = 1; i <= n; i++) if (l[i] !~ /^#/) t = t (tolower(l[i]) ~ /^uris:/ ? \"URIs: \" twin(u, k, s) : l[i]) \"\\n\";",
            "  print t \"Architectures-Remove: \" archs(k, \" \") \"\\n\"; next }",
            "$1 ~ /^deb(-src)?$/ && (k = official($2)) != \"\" { r = $0; sub(/^[ \\t]*[^ \\t]+[ \\t]+[^ \\t]+/, \"\", r);",
            "  print $1 \" [arch-=\" archs(k == \"a\" ? \"p\" : \"a\", \",\") \"] \" $2 r; print $1 \" [arch-=\" archs(k, \",\") \"] \" twin($2, k, $3) r; next }",
            "{ print }",
        ];
        string[] lines =
        [
            "set -eu;",
            "eval \"$(apt-config shell l Dir::Etc::sourcelist/f d Dir::Etc::sourceparts/d)\";",
            "for f in \"$l\" \"$d\"*.list \"$d\"*.sources; do",
            "  if [ ! -f \"$f\" ]; then continue; fi; case \"$f\" in *.sources) p=1;; *) p=0;; esac;",
            "  awk -v p=$p '" + program[0],
            .. program[1..^1].Select(p => "    " + p),
            "  " + program[^1] + "' \"$f\" >/tmp/stevedore.sources; cat /tmp/stevedore.sources >\"$f\";",
            "done; rm -f /tmp/stevedore.sources",
        ];
        return string.Join(" \\\n", lines);
    }
}
