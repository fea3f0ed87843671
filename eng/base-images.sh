#!/usr/bin/env bash
# Builds the stand-in base images and pushes them to the local registry under the repository paths
# of the real ones (nothing can be pulled from Docker Hub or MCR here):
#   dotnet/sdk:10.0 (amd64), dotnet/runtime-deps|runtime|aspnet:10.0 (amd64+arm64),
#   golang:1.24 (amd64+arm64: the arm64 one serves emulated builds), distroless/static:nonroot (amd64+arm64), plus stevedore/rootfs:bookworm;
#   for Native AOT: dotnet/sdk:10.0-noble-aot (amd64: the SDK plus clang, lld, llvm, and the arm64 cross linker and zlib,
#   so an arm64 target links on the build platform without reaching a package mirror) and
#   dotnet/runtime-deps:10.0-noble-chiseled (what the SDK infers for an AOT app with InvariantGlobalization).
# The dotnet/* images but the -aot SDK carry Ubuntu 24.04's os-release and apt sources like the real ones, with apt
# pointed at the Debian mirror their packages come from (eng/stand-ins/Dockerfile, stage noble).
# Inputs are hashed; when the registry already holds images built from the same inputs, this
# takes seconds and changes nothing.  Usage: eng/base-images.sh [--force]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

R="$REGISTRY_ADDR"
IMAGES_DIR="$CACHE_DIR/stand-ins"
ROOTFS_PACKAGES="ca-certificates,libicu72,libssl3,zlib1g,tzdata"
# The AOT build image's toolchain: ILCompiler links with clang (bfd by default, lld on request), strips with llvm-objcopy;
# gcc-aarch64-linux-gnu brings the arm64 binutils, crt files and libc, zlib1g-dev:arm64 the target's libz.
AOT_PACKAGES="clang,lld,llvm,zlib1g-dev,gcc-aarch64-linux-gnu,zlib1g-dev:arm64"
DOTNET_ROOT_HOST="$(dirname "$(readlink -f "$(command -v dotnet)")")"
RUNTIME_VERSION="$(ls "$DOTNET_ROOT_HOST/shared/Microsoft.NETCore.App" | sort -V | tail -n1)"
ASPNET_VERSION="$(ls "$DOTNET_ROOT_HOST/shared/Microsoft.AspNetCore.App" | sort -V | tail -n1)"
SDK_VERSION="$(dotnet --version)"
STAND_INS=(stevedore/rootfs:bookworm dotnet/runtime-deps:10.0 dotnet/runtime-deps:10.0-noble-chiseled dotnet/runtime:10.0 dotnet/aspnet:10.0 dotnet/sdk:10.0 dotnet/sdk:10.0-noble-aot golang:1.24 distroless/static:nonroot)

mkdir -p "$IMAGES_DIR"

inputs_key() {
  { cat "${BASH_SOURCE[0]}" "$REPO_ROOT/eng/stand-ins/"*; echo "$ROOTFS_PACKAGES $AOT_PACKAGES $SDK_VERSION $RUNTIME_VERSION $ASPNET_VERSION"; } | sha256sum | cut -c1-16
}

all_present() {
  local image
  [ "$(cat "$REGISTRY_DIR/stand-ins.key" 2>/dev/null)" = "$KEY" ] || return 1
  for image in "${STAND_INS[@]}"; do registry_has "$image" || return 1; done
}

rootfs() { # rootfs <arch>[,<foreign arch>…] [extra packages] → path of a cached tarball
  local arch="$1" packages="$ROOTFS_PACKAGES${2:+,$2}"
  local out="$IMAGES_DIR/rootfs-bookworm-${arch//,/+}-$(echo "$packages" | sha256sum | cut -c1-8).tar"
  if [ ! -s "$out" ]; then
    bash "$REPO_ROOT/eng/tools.sh" rootfs
    say "building the bookworm root filesystem for $arch (arm64 runs under QEMU: a few minutes, once)"
    mmdebstrap --quiet --variant=minbase --architectures="$arch" --include="$packages" \
      bookworm "${out%.tar}.partial.tar" >"$LOG_DIR/mmdebstrap-${arch//,/+}.log" 2>&1 || die "mmdebstrap for $arch failed; see $LOG_DIR/mmdebstrap-${arch//,/+}.log"
    mv "${out%.tar}.partial.tar" "$out"   # mmdebstrap picks the output format from the .tar suffix
  fi
  echo "$out"
}

# Lays a shared framework out the way the real images do: /usr/share/dotnet/shared/<fx>/<ver>.
# amd64 comes from this machine's .NET; arm64 from the NuGet runtime packs (there is no arm64 muxer).
nuget_packs() {
  local dir="$IMAGES_DIR/nuget" proj="$IMAGES_DIR/packs-download"
  mkdir -p "$proj"
  cat >"$proj/packs.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Microsoft.NETCore.App.Runtime.linux-arm64" Version="[$RUNTIME_VERSION]" />
    <PackageDownload Include="Microsoft.AspNetCore.App.Runtime.linux-arm64" Version="[$ASPNET_VERSION]" />
    <PackageDownload Include="Microsoft.NETCore.App.Host.linux-arm64" Version="[$RUNTIME_VERSION]" />
  </ItemGroup>
</Project>
XML
  if [ ! -d "$dir/microsoft.netcore.app.host.linux-arm64/$RUNTIME_VERSION" ] || [ ! -d "$dir/microsoft.aspnetcore.app.runtime.linux-arm64/$ASPNET_VERSION" ]; then
    say "downloading the linux-arm64 runtime packs $RUNTIME_VERSION from NuGet"
    NUGET_PACKAGES="$dir" dotnet restore "$proj/packs.csproj" --source https://api.nuget.org/v3/index.json >"$LOG_DIR/packs-restore.log" 2>&1 \
      || die "downloading the arm64 runtime packs failed; see $LOG_DIR/packs-restore.log"
  fi
  echo "$dir"
}

# The three root filesystems build side by side: arm64's runs under QEMU on one core for minutes, while the others
# (and the runtime packs) download and unpack. Cached tarballs return at once.
all_rootfs() {
  local pids=() pid
  bash "$REPO_ROOT/eng/tools.sh" rootfs
  rootfs arm64 >/dev/null & pids+=($!)
  rootfs amd64 >/dev/null & pids+=($!)
  rootfs amd64,arm64 "$AOT_PACKAGES" >/dev/null & pids+=($!)
  nuget_packs >/dev/null || { kill "${pids[@]}" 2>/dev/null; exit 1; }
  for pid in "${pids[@]}"; do wait "$pid" || { kill "${pids[@]}" 2>/dev/null; exit 1; }; done
}

stage_context() {
  local ctx="$IMAGES_DIR/context" packs
  all_rootfs
  packs=$(nuget_packs)
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp "$REPO_ROOT/eng/stand-ins/"* "$ctx/"
  ln "$(rootfs amd64)" "$ctx/rootfs-amd64.tar"
  ln "$(rootfs arm64)" "$ctx/rootfs-arm64.tar"
  # amd64 with arm64 as a foreign architecture: the arm64 zlib comes as a multiarch package, no emulation.
  ln "$(rootfs amd64,arm64 "$AOT_PACKAGES")" "$ctx/rootfs-aot-amd64.tar"

  local d="$ctx/runtime-amd64/usr/share/dotnet"
  mkdir -p "$d/shared" "$d/host"
  cp -a "$DOTNET_ROOT_HOST/dotnet" "$d/"
  cp -a "$DOTNET_ROOT_HOST/host/fxr" "$d/host/"
  cp -a "$DOTNET_ROOT_HOST/shared/Microsoft.NETCore.App" "$d/shared/"
  mkdir -p "$ctx/runtime-amd64/usr/bin" && ln -s ../share/dotnet/dotnet "$ctx/runtime-amd64/usr/bin/dotnet"
  mkdir -p "$ctx/aspnet-amd64/usr/share/dotnet/shared"
  cp -a "$DOTNET_ROOT_HOST/shared/Microsoft.AspNetCore.App" "$ctx/aspnet-amd64/usr/share/dotnet/shared/"

  local rt="$packs/microsoft.netcore.app.runtime.linux-arm64/$RUNTIME_VERSION/runtimes/linux-arm64"
  d="$ctx/runtime-arm64/usr/share/dotnet"
  mkdir -p "$d/shared/Microsoft.NETCore.App/$RUNTIME_VERSION" "$d/host/fxr/$RUNTIME_VERSION"
  cp "$rt/lib/net10.0/"* "$rt/native/"* "$d/shared/Microsoft.NETCore.App/$RUNTIME_VERSION/"
  mv "$d/shared/Microsoft.NETCore.App/$RUNTIME_VERSION/libhostfxr.so" "$d/host/fxr/$RUNTIME_VERSION/"
  local asp="$packs/microsoft.aspnetcore.app.runtime.linux-arm64/$ASPNET_VERSION/runtimes/linux-arm64"
  d="$ctx/aspnet-arm64/usr/share/dotnet/shared/Microsoft.AspNetCore.App/$ASPNET_VERSION"
  mkdir -p "$d"; cp "$asp/lib/net10.0/"* "$d/"; [ -d "$asp/native" ] && cp "$asp/native/"* "$d/" || true

  # The SDK image: this machine's SDK plus the arm64 apphost pack, so `-a arm64` cross-publishes offline.
  d="$ctx/sdk/usr/share/dotnet"
  mkdir -p "$d"
  cp -a "$DOTNET_ROOT_HOST/." "$d/"
  mkdir -p "$d/packs/Microsoft.NETCore.App.Host.linux-arm64"
  cp -a "$packs/microsoft.netcore.app.host.linux-arm64/$RUNTIME_VERSION" "$d/packs/Microsoft.NETCore.App.Host.linux-arm64/"
  mkdir -p "$ctx/sdk/usr/bin" && ln -s ../share/dotnet/dotnet "$ctx/sdk/usr/bin/dotnet"

  # distroless-like: root, nobody and nonroot (65532), a sticky /tmp and nonroot's home.
  mkdir -p "$ctx/static/etc" "$ctx/static/tmp" "$ctx/static/home/nonroot"
  chmod 1777 "$ctx/static/tmp"; chown 65532:65532 "$ctx/static/home/nonroot"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$ctx/static/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$ctx/static/etc/group"

  # Go from trixie's packages, symlinks dereferenced (src points into /usr/share/go-1.24).
  bash "$REPO_ROOT/eng/tools.sh" go
  for arch in amd64 arm64; do
    local root="$TOOLS_DIR/root"; [ "$arch" = amd64 ] || root="$TOOLS_DIR/root-$arch"
    mkdir -p "$ctx/go-$arch/usr/local"
    cp -rL "$root/usr/lib/go-1.24" "$ctx/go-$arch/usr/local/go"
  done
  echo "$ctx"
}

build() { # build <target> <image> <platforms> [--build-arg NAME=VALUE…]
  say "building $R/$2 ($3)"
  docker buildx build --network=none --provenance=false --platform "$3" --target "$1" "${@:4}" \
    --build-arg "REGISTRY=$R" --build-arg "DOTNET_VERSION=$RUNTIME_VERSION" --build-arg "ASPNET_VERSION=$ASPNET_VERSION" --build-arg "SDK_VERSION=$SDK_VERSION" \
    -t "$R/$2" --push "$CTX" >>"$LOG_DIR/stand-ins.log" 2>&1 || die "building $2 failed; see $LOG_DIR/stand-ins.log"
}

KEY=$(inputs_key)
if [ "${1:-}" != "--force" ] && all_present; then
  say "stand-in base images are current (inputs $KEY)"
  exit 0
fi

CTX=$(stage_context)
: >"$LOG_DIR/stand-ins.log"
build rootfs stevedore/rootfs:bookworm linux/amd64,linux/arm64
build runtime-deps dotnet/runtime-deps:10.0 linux/amd64,linux/arm64
build runtime-deps dotnet/runtime-deps:10.0-noble-chiseled linux/amd64,linux/arm64
build runtime dotnet/runtime:10.0 linux/amd64,linux/arm64
build aspnet dotnet/aspnet:10.0 linux/amd64,linux/arm64
build static distroless/static:nonroot linux/amd64,linux/arm64
build sdk dotnet/sdk:10.0 linux/amd64
build sdk dotnet/sdk:10.0-noble-aot linux/amd64 --build-arg SDK_ROOTFS=rootfs-aot
build golang golang:1.24 linux/amd64,linux/arm64
echo "$KEY" >"$REGISTRY_DIR/stand-ins.key"
rm -rf "$CTX"
say "stand-in base images pushed to $R (inputs $KEY)"
