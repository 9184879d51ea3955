using Pipelines.TektonLocal;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>The allow-list of fields the local runner implements, against this build's own generated tekton/.</summary>
public sealed class SupportedFieldsTests
{
    [Fact]
    public void This_build_s_generated_tekton_files_use_only_fields_the_local_runner_implements()
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "tekton");
        var problems = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => SupportedFields.Find(File.ReadAllText(f), f)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_v1beta1_object_is_refused_as_the_runner_implements_v1()
    {
        var problems = SupportedFields.Find("apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: old\nspec:\n  steps: []\n", "old.yaml");

        Assert.Equal(["old.yaml:1:13 apiVersion: tekton.dev/v1beta1 (supported: tekton.dev/v1)"], problems);
    }

    [Fact]
    public void The_docker_in_docker_sidecar_is_not_checked_as_the_local_engine_serves_it()
    {
        const string task = """
            apiVersion: tekton.dev/v1
            kind: Task
            metadata:
              name: dind
            spec:
              sidecars:
              - name: dind
                image: docker:27-dind
                readinessProbe:
                  exec:
                    command: [docker, info]
              - name: other
                image: busybox
                livenessProbe: {}
            """;

        Assert.Equal(["sidecars.yaml:14:5 spec.sidecars[1].livenessProbe"], SupportedFields.Find(task, "sidecars.yaml"));
    }
}
