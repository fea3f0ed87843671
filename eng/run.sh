#!/usr/bin/env bash
# The README's main job: engine, registry and stand-in base images up; Stevedore.Sdk packed from this
# checkout; every sample (the small dotnet and go ones, the realistic-dotnet and realistic-go services)
# published with `dotnet publish` for linux/amd64 and linux/arm64 into the local registry; then each
# platform's image started (arm64 under QEMU) and its HTTP answers printed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash eng/engine.sh up >/dev/null
bash eng/base-images.sh
bash eng/sample-feed.sh >/dev/null   # the samples' NuGet feeds and the realistic Go sample's vendor/, cached
VERSION=$(bash eng/pack.sh)
say "Stevedore.Sdk $VERSION packed into artifacts/packages"

# The samples are copied into a work folder laid out like the repository (samples/<name> beside
# artifacts/packages, a copy, not a link: the build context must hold the feed the restore step reads
# Stevedore.Sdk from) and pinned to the packed version there, so the checkout stays untouched.
WORK="$REPO_ROOT/artifacts/run"
rm -rf "$WORK"; mkdir -p "$WORK"
export NUGET_PACKAGES="$REPO_ROOT/artifacts/nuget-packages/$VERSION"
TAG="run-$(date +%Y%m%d%H%M%S)"
PLATFORMS="linux/amd64 linux/arm64"

publish() { # publish <sample> <project, relative to the sample>
  local sample="$1" project="$2"
  bash eng/lay-out-sample.sh "samples/$sample" "$WORK" "$VERSION"
  say "dotnet publish samples/$sample/$project for ${PLATFORMS// /, } (log: artifacts/run/$sample.log)"
  (cd "$WORK/samples/$sample" && dotnet publish "$project" -tl:off -v:n -nologo \
      -p:ContainerRegistry="$REGISTRY_ADDR" -p:ContainerBaseImageRegistry="$REGISTRY_ADDR" \
      -p:ContainerBuildNetwork=host -p:ContainerImageTags="$TAG" \
      -p:ContainerPlatforms="\"${PLATFORMS// /,}\"") >"$WORK/$sample.log" 2>&1 \
    || { tail -n 40 "$WORK/$sample.log" >&2; die "publishing samples/$sample failed; see artifacts/run/$sample.log"; }
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve() { # serve <image> <platform> <kind: aspnet|go> <path>...
  local image="$1" platform="$2" kind="$3" port name answer="" path
  shift 3
  port=$(free_port); name="stevedore-run-${platform//\//-}-$port"
  case "$kind" in
    # DOTNET_EnableWriteXorExecute=0: .NET's W^X double mapping crashes under QEMU (arm64 emulated here).
    aspnet) docker run -d --rm --name "$name" --network host --platform "$platform" -e ASPNETCORE_URLS="http://127.0.0.1:$port" \
              -e DOTNET_EnableWriteXorExecute=0 "$image" >/dev/null ;;
    go) docker run -d --rm --name "$name" --network host --platform "$platform" -e PORT="$port" "$image" >/dev/null ;;
  esac
  # arm64 runs under QEMU: an ASP.NET app needs some seconds (the realistic one most of a minute) before it answers.
  for _ in $(seq 1 180); do
    answer=$(curl -fsS --max-time 2 "http://127.0.0.1:$port$1" 2>/dev/null) && break
    sleep 1
  done
  [ -n "$answer" ] || { docker logs "$name" 2>&1 | tail -n 20 >&2; docker rm -f "$name" >/dev/null 2>&1 || true; die "$image ($platform) did not answer on 127.0.0.1:$port$1"; }
  printf '  %-12s GET %-8s %s\n' "$platform" "$1" "${answer:0:160}"
  for path in "${@:2}"; do
    answer=$(curl -fsS --max-time 10 "http://127.0.0.1:$port$path" 2>/dev/null) \
      || { docker rm -f "$name" >/dev/null 2>&1 || true; die "$image ($platform) did not answer GET $path"; }
    printf '  %-12s GET %-8s %s\n' "" "$path" "${answer:0:160}"
  done
  docker rm -f "$name" >/dev/null 2>&1 || true
}

show() { # show <repository> <kind> <path>...
  local image="$REGISTRY_ADDR/$1:$TAG" kind="$2" platform
  shift 2
  echo
  echo "$image"
  docker buildx imagetools inspect "$image" | grep -E 'Platform:' | sed 's/^ */  index: /'
  for platform in $PLATFORMS; do serve "$image" "$platform" "$kind" "$@"; done
}

publish dotnet src/Api/Api.csproj
publish go api.goproj
publish realistic-dotnet src/Orders.Api/Orders.Api.csproj
publish realistic-go orders.goproj

show samples/dotnet-api aspnet /
show samples/go-api go /
show samples/realistic-dotnet aspnet / /orders
show samples/realistic-go go / /orders
echo
say "done: images for ${PLATFORMS// /, } in $REGISTRY_ADDR, each started and answering"
