// Package packageurl is the part of github.com/package-url/packageurl-go that BuildKit uses (util/purl: image
// references as package URLs in provenance and SBOM metadata). That module is not packaged in Debian, so
// eng/buildkit-image.sh puts this file at its import path. It follows the purl specification
// (https://github.com/package-url/purl-spec): pkg:type/namespace/name@version?qualifiers#subpath, each part
// percent-encoded, qualifiers sorted by key. BuildKit's own tests of util/purl pass against it.
package packageurl

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

const (
	TypeDocker = "docker"
	TypeOCI    = "oci"
)

type Qualifier struct {
	Key   string
	Value string
}

type Qualifiers []Qualifier

// Map returns the qualifiers as a map.
func (qq Qualifiers) Map() map[string]string {
	m := make(map[string]string, len(qq))
	for _, q := range qq {
		m[q.Key] = q.Value
	}
	return m
}

type PackageURL struct {
	Type       string
	Namespace  string
	Name       string
	Version    string
	Qualifiers Qualifiers
	Subpath    string
}

func NewPackageURL(purlType, namespace, name, version string, qualifiers Qualifiers, subpath string) *PackageURL {
	return &PackageURL{Type: purlType, Namespace: namespace, Name: name, Version: version, Qualifiers: qualifiers, Subpath: subpath}
}

// ToString renders the package URL in its canonical form.
func (p PackageURL) ToString() string {
	var b strings.Builder
	b.WriteString("pkg:")
	b.WriteString(strings.ToLower(p.Type))
	b.WriteString("/")
	if p.Namespace != "" {
		for _, segment := range strings.Split(p.Namespace, "/") {
			if segment == "" {
				continue
			}
			b.WriteString(url.PathEscape(segment))
			b.WriteString("/")
		}
	}
	b.WriteString(url.PathEscape(p.Name))
	if p.Version != "" {
		b.WriteString("@")
		b.WriteString(url.PathEscape(p.Version))
	}
	// Qualifiers sorted by key, each value percent-encoded as a path segment ('/' is, ':' is not).
	qualifiers := make([]Qualifier, 0, len(p.Qualifiers))
	for _, q := range p.Qualifiers {
		if q.Value != "" {
			qualifiers = append(qualifiers, Qualifier{Key: strings.ToLower(q.Key), Value: q.Value})
		}
	}
	sort.SliceStable(qualifiers, func(i, j int) bool { return qualifiers[i].Key < qualifiers[j].Key })
	for i, q := range qualifiers {
		if i == 0 {
			b.WriteString("?")
		} else {
			b.WriteString("&")
		}
		b.WriteString(q.Key)
		b.WriteString("=")
		b.WriteString(url.PathEscape(q.Value))
	}
	if p.Subpath != "" {
		b.WriteString("#")
		segments := strings.Split(strings.Trim(p.Subpath, "/"), "/")
		for i, segment := range segments {
			segments[i] = url.PathEscape(segment)
		}
		b.WriteString(strings.Join(segments, "/"))
	}
	return b.String()
}

func (p PackageURL) String() string { return p.ToString() }

// FromString parses a package URL.
func FromString(purl string) (PackageURL, error) {
	rest, ok := strings.CutPrefix(purl, "pkg:")
	if !ok {
		return PackageURL{}, fmt.Errorf("purl %q: scheme is not \"pkg\"", purl)
	}
	var p PackageURL
	if i := strings.Index(rest, "#"); i >= 0 {
		sub, err := url.PathUnescape(strings.Trim(rest[i+1:], "/"))
		if err != nil {
			return PackageURL{}, fmt.Errorf("purl %q: subpath: %w", purl, err)
		}
		p.Subpath, rest = sub, rest[:i]
	}
	if i := strings.Index(rest, "?"); i >= 0 {
		for _, pair := range strings.Split(rest[i+1:], "&") {
			key, value, ok := strings.Cut(pair, "=")
			if !ok || key == "" {
				return PackageURL{}, fmt.Errorf("purl %q: qualifier %q is not key=value", purl, pair)
			}
			unescaped, err := url.PathUnescape(value)
			if err != nil {
				return PackageURL{}, fmt.Errorf("purl %q: qualifier %q: %w", purl, key, err)
			}
			p.Qualifiers = append(p.Qualifiers, Qualifier{Key: strings.ToLower(key), Value: unescaped})
		}
		sort.SliceStable(p.Qualifiers, func(a, b int) bool { return p.Qualifiers[a].Key < p.Qualifiers[b].Key })
		rest = rest[:i]
	}
	segments := strings.Split(strings.Trim(rest, "/"), "/")
	if len(segments) < 2 || segments[0] == "" {
		return PackageURL{}, errors.New("purl " + purl + ": a type and a name are required")
	}
	p.Type = strings.ToLower(segments[0])
	nameVersion := segments[len(segments)-1]
	if i := strings.LastIndex(nameVersion, "@"); i >= 0 {
		version, err := url.PathUnescape(nameVersion[i+1:])
		if err != nil {
			return PackageURL{}, fmt.Errorf("purl %q: version: %w", purl, err)
		}
		p.Version, nameVersion = version, nameVersion[:i]
	}
	name, err := url.PathUnescape(nameVersion)
	if err != nil || name == "" {
		return PackageURL{}, fmt.Errorf("purl %q: a name is required", purl)
	}
	p.Name = name
	namespace := segments[1 : len(segments)-1]
	for i, segment := range namespace {
		if namespace[i], err = url.PathUnescape(segment); err != nil {
			return PackageURL{}, fmt.Errorf("purl %q: namespace: %w", purl, err)
		}
	}
	p.Namespace = strings.Join(namespace, "/")
	return p, nil
}
