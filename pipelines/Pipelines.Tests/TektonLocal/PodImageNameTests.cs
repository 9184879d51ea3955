using Pipelines.TektonLocal;

namespace Pipelines.Tests.TektonLocal;

/// <summary>How the local runner reads the image names of a Task (through ImageReference): dind sidecars, the runner, --tekton-images.</summary>
public sealed class PodImageNameTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("docker:27.5.1-dind", true)]
    [InlineData("docker:27.5.1-dind@" + Digest, true)]
    [InlineData("docker.io/library/docker:dind-rootless", true)]
    [InlineData("mirror.gcr.io/library/docker:27-dind", true)]
    [InlineData("registry.cn-hangzhou.aliyuncs.com/team/docker:dind", true)]
    [InlineData("docker:27.5.1", false)]
    [InlineData("docker@" + Digest, false)]
    [InlineData("example/dockerd:dind", false)]
    [InlineData("$(params.dind-image)", false)]
    public void A_sidecar_is_docker_in_docker_when_it_runs_a_docker_repository_at_a_dind_tag(string image, bool dind)
    {
        Assert.Equal(dind, TaskPod.IsDind(new Dictionary<string, object?> { ["image"] = image }));
    }

    [Fact]
    public void A_tag_and_a_digest_pin_of_the_runner_are_the_same_repository()
    {
        Assert.Equal(PodSettings.RepositoryOf("ghcr.io/example/pipeline-runner:0.1.0"), PodSettings.RepositoryOf($"ghcr.io/example/pipeline-runner@{Digest}"));
        Assert.Equal("docker.io/library/busybox", PodSettings.RepositoryOf("busybox:1.36"));
        Assert.Equal("$(params.curl-image)", PodSettings.RepositoryOf("$(params.curl-image)"));
    }

    [Fact]
    public void An_image_may_be_substituted_by_its_name_as_written_in_full_or_as_people_type_it()
    {
        Assert.Equal(
            [$"docker.io/curlimages/curl:8.11.1@{Digest}", "docker.io/curlimages/curl:8.11.1", "curlimages/curl:8.11.1"],
            PodSettings.Aliases($"docker.io/curlimages/curl:8.11.1@{Digest}"));
        Assert.Contains("busybox:1.36", PodSettings.Aliases("docker.io/library/busybox:1.36"));
    }
}
