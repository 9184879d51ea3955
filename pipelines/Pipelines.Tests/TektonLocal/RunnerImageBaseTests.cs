using Pipelines.TektonLocal;
using Pipelines.Logging;

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

    [Fact]
    public void The_assembled_runner_gets_the_hosts_validators_read_only_on_PATH_and_says_so()
    {
        var runner = new RunnerChoice(RunnerImage.AssembledTag, ["/usr:/usr:ro"], "assembled");
        var log = new MemoryLog();

        var withValidators = RunnerImage.WithValidators(runner, "/src/.ci/node", log);

        Assert.Equal(["/usr:/usr:ro", "/src/.ci/node:/opt/pipeline-validators:ro"], withValidators.Binds);
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/pipeline-validators/node_modules/.bin", withValidators.Environment["PATH"]);
        Assert.Contains("the pinned npm validators (/src/.ci/node) are mounted read-only", log.Text);
        Assert.Same(runner, RunnerImage.WithValidators(runner, null, log));
    }
}
