# syntax=docker/dockerfile:1.7
#
# PainService images. One Dockerfile, two products (stages), two torch backends:
#   docker build --target api    -t painservice-api .
#   docker build --target worker -t painservice-worker .
#   docker build --target api --build-arg TORCH_BACKEND=cuda -t painservice-api:cuda .
#
# TORCH_BACKEND=cpu (default) is the tested path. TORCH_BACKEND=cuda swaps the libtorch native package for
# libtorch-cuda-12.8-linux-x64 through the msbuild property PainServiceTorchBackend (build/TorchBackend.targets)
# and bases the runtime on NVIDIA's CUDA 12.8 runtime image; it is reviewed but not built here (the CUDA
# package is not on this project's package feed). The app picks CUDA at run time when Model:Device is auto.
# See docs/deploy.md.

ARG TORCH_BACKEND=cpu
ARG DOTNET_TAG=10.0-noble
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

# ---------------------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG} AS build
ARG TORCH_BACKEND
WORKDIR /src
# Restore first, from the project files alone, so source edits do not invalidate the (large) package layer.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props PainService.sln ./
COPY build/ build/
COPY src/PainService.Model/PainService.Model.csproj src/PainService.Model/
COPY src/PainService.Vision/PainService.Vision.csproj src/PainService.Vision/
COPY src/PainService.Jobs/PainService.Jobs.csproj src/PainService.Jobs/
COPY src/PainService.Api/PainService.Api.csproj src/PainService.Api/
COPY src/PainService.Worker/PainService.Worker.csproj src/PainService.Worker/
RUN dotnet restore src/PainService.Api/PainService.Api.csproj -p:PainServiceTorchBackend=${TORCH_BACKEND} \
 && dotnet restore src/PainService.Worker/PainService.Worker.csproj -p:PainServiceTorchBackend=${TORCH_BACKEND}
COPY src/ src/
# The API and the worker link the root configuration file into their output (see their csproj).
COPY appsettings.json appsettings.Development.json ./
# Publish runs the ELF fix-up of build/ElfWeakVersionNeeds.targets on libLibTorchSharp.so (a no-op in effect on
# Ubuntu 24.04, whose libstdc++ already has GLIBCXX_3.4.32), copies the Haar cascade into Cascades/ and each
# product's appsettings.json beside it. The Development settings (a development-only API key) stay out of the image.
RUN dotnet publish src/PainService.Api/PainService.Api.csproj -c Release --no-restore \
      -p:PainServiceTorchBackend=${TORCH_BACKEND} -o /out/api \
 && dotnet publish src/PainService.Worker/PainService.Worker.csproj -c Release --no-restore \
      -p:PainServiceTorchBackend=${TORCH_BACKEND} -o /out/worker \
 && rm -f /out/api/appsettings.Development.json \
 && test -f /out/api/Cascades/haarcascade_frontalface_default.xml \
 && test -f /out/api/libLibTorchSharp.so && test -f /out/worker/libLibTorchSharp.so \
 && test -f /out/api/appsettings.json && test -f /out/worker/appsettings.json

# ---------------------------------------------------------------------------------------------------------------
# Runtime bases. Both are Ubuntu 24.04 so the same apt package names apply below.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG} AS runtime-cpu

FROM ${CUDA_IMAGE} AS runtime-cuda
# The ASP.NET Core shared runtime is copied from Microsoft's image rather than installed from a feed, so the CPU
# and CUDA images run the identical runtime build.
COPY --from=runtime-cpu /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && (id -u app >/dev/null 2>&1 || useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app)
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    ASPNETCORE_HTTP_PORTS=8080 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

FROM runtime-${TORCH_BACKEND} AS runtime
#   libgtk-3-0t64  OpenCvSharp's official runtime links GTK3 (highgui) although no window is ever opened.
#   curl           the HEALTHCHECK probe (the base image has no HTTP client).
# libtorch brings its own OpenMP (libgomp-*.so.1) inside the publish output.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgtk-3-0t64 curl \
 && rm -rf /var/lib/apt/lists/*
# libtorch's OpenMP threads spin-wait by default and starve the rest of a small machine; it cannot be set from
# inside .NET, so it is set in the image. Model__IntraOpThreads should match the CPU limit of the container.
# Workstation GC: a 2-core container gains nothing from server GC's per-core heaps, and memory stays predictable
# next to libtorch's own allocations. One malloc arena from the first thread on: freed decode buffers are reused by
# every thread instead of staying in per-thread arenas (the service also calls mallopt, but only after start-up
# threads exist; see NativeMemoryTuning).
ENV OMP_WAIT_POLICY=PASSIVE \
    MALLOC_ARENA_MAX=1 \
    DOTNET_gcServer=0 \
    ASPNETCORE_ENVIRONMENT=Production
# Shared model registry: the worker writes checkpoints here, the API reads the configured one.
RUN mkdir -p /models && chown 1654:1654 /models
VOLUME ["/models"]

# ---------------------------------------------------------------------------------------------------------------
FROM runtime AS worker
WORKDIR /app
COPY --from=build --chown=root:root /out/worker/ ./
USER 1654
# Through the dotnet host rather than the apphost, so the image does not depend on where the runtime is installed.
ENTRYPOINT ["dotnet", "/app/painservice-worker.dll"]
CMD ["run"]

# ---------------------------------------------------------------------------------------------------------------
# Last stage = default target: a plain `docker build .` gives the API.
FROM runtime AS api
WORKDIR /app
COPY --from=build --chown=root:root /out/api/ ./
USER 1654
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "/app/PainService.Api.dll"]
