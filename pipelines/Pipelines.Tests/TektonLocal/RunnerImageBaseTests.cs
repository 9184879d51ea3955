using Pipelines.TektonLocal;

namespace Pipelines.Tests.TektonLocal;

public sealed class RunnerImageBaseTests
{
    [Fact]
    public void The_base_images_of_a_multi_stage_dockerfile_take_the_ARG_defaults_and_skip_its_own_stages()
    {
        string[] dockerfile =
        [
            "ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.100",
            "ARG NODE_IMAGE=docker.io/library/node:22-bookworm-slim",
            "FROM ${NODE_IMAGE} AS node",
            "FROM --platform=linux/amd64 $SDK_IMAGE AS sdk",
            "FROM sdk",
            "COPY --from=node /usr/local/bin/node /usr/local/bin/node",
        ];

        Assert.Equal(["docker.io/library/node:22-bookworm-slim", "mcr.microsoft.com/dotnet/sdk:10.0.100"], RunnerImage.BaseImages(dockerfile));
    }

    [Fact]
    public void A_dockerfile_from_scratch_has_no_base_image_to_pull() =>
        Assert.Empty(RunnerImage.BaseImages(["FROM scratch", "COPY a /a"]));
}
