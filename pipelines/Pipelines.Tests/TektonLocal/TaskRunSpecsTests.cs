using Pipelines.TektonLocal;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// How one taskRunSpecs entry shapes its TaskRun (pipelineruns.md "Specifying taskRunSpecs", Tekton's GetTaskRunSpec and
/// MergePodTemplateWithDefault), without an engine: what the run-file tests cannot see from inside a step.
/// </summary>
public sealed class TaskRunSpecsTests
{
    private const string Run = """
        apiVersion: tekton.dev/v1
        kind: PipelineRun
        metadata:
          name: specs
        spec:
          taskRunTemplate:
            podTemplate:
              securityContext:
                runAsUser: 1000
                fsGroup: 3000
              volumes:
              - name: cache
                emptyDir: {}
              - name: settings
                configMap:
                  name: general
          taskRunSpecs:
          - pipelineTaskName: build
            timeout: "0"
            podTemplate:
              securityContext:
                runAsUser: 1234
              volumes:
              - name: settings
                configMap:
                  name: build-only
            metadata:
              labels:
                team: builders
              annotations:
                note: kept
            sidecarSpecs:
            - name: db
              computeResources:
                limits:
                  memory: 128Mi
          pipelineSpec:
            tasks:
            - name: build
              taskSpec:
                steps:
                - name: make
                  image: busybox
                sidecars:
                - name: db
                  image: postgres
                  computeResources:
                    limits:
                      memory: 1Gi
                      cpu: "2"
                    requests:
                      memory: 512Mi
            - name: test
              taskSpec:
                steps:
                - image: busybox
        """;

    private static (TaskRunSpecs Specs, PodTemplate Pod, IReadOnlyDictionary<string, object?> PipelineSpec) Parse(string yaml)
    {
        var spec = Yaml.Map(RenderedTekton.Parse(yaml, "specs.yaml").Documents[0], "spec");
        var rendered = RenderedTekton.Of([]);
        return (TaskRunSpecs.Of(spec, rendered, "specs.yaml"), PodTemplate.Of(Yaml.Map(Yaml.Map(spec, "taskRunTemplate"), "podTemplate")), Yaml.Map(spec, "pipelineSpec"));
    }

    [Fact]
    public void An_entry_pod_template_replaces_the_securityContext_whole_and_merges_volumes_by_name()
    {
        var (specs, run, _) = Parse(Run);

        var build = specs.Pod("build", run);
        Assert.Equal("1234", Yaml.String(build.SecurityContext, "runAsUser"));
        Assert.Null(build.FsGroup);
        Assert.Equal(["cache", "settings"], build.Volumes.Select(v => Yaml.String(v, "name")));
        Assert.Equal("build-only", Yaml.String(Yaml.Map(build.Volumes.Single(v => Yaml.String(v, "name") == "settings"), "configMap"), "name"));
        // A task without an entry gets the run's template as it is.
        Assert.Same(run, specs.Pod("test", run));
        Assert.Equal(3000, run.FsGroup);
    }

    [Fact]
    public void An_entry_gives_its_TaskRun_a_timeout_labels_and_annotations_and_sidecar_resources()
    {
        var (specs, _, pipeline) = Parse(Run);

        Assert.Equal(TimeSpan.Zero, specs.Timeout("build"));
        Assert.Null(specs.Timeout("test"));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "builders", ["note"] = "kept" }, specs.Labels("build"));
        Assert.Empty(specs.Labels("test"));
        var taskSpec = Yaml.Map(Yaml.List(pipeline, "tasks")[0], "taskSpec");
        var applied = specs.Apply("build", taskSpec, out var invalid);
        Assert.Null(invalid);
        Assert.Equal("128Mi", Yaml.String(Yaml.Map(Yaml.Map(Yaml.List(applied, "sidecars")[0], "computeResources"), "limits"), "memory"));
        Assert.Equal("postgres", Yaml.String(Yaml.List(applied, "sidecars")[0], "image"));
    }

    [Fact]
    public void A_step_keeps_its_own_runAs_fields_and_takes_the_pods_where_it_sets_none()
    {
        var pod = PodTemplate.Of(Yaml.Map(RenderedTekton.Parse("securityContext:\n  runAsUser: 1001\n  runAsNonRoot: true\n", "pod.yaml").Documents[0]));

        var own = pod.Secure(Yaml.Map(RenderedTekton.Parse("name: a\nsecurityContext:\n  runAsUser: 0\n  runAsNonRoot: false\n", "step.yaml").Documents[0]));
        var bare = pod.Secure(Yaml.Map(RenderedTekton.Parse("name: b\n", "step.yaml").Documents[0]));

        Assert.Equal("0", Yaml.String(Yaml.Map(own, "securityContext"), "runAsUser"));
        Assert.Equal("false", Yaml.String(Yaml.Map(own, "securityContext"), "runAsNonRoot"));
        Assert.Equal("1001", Yaml.String(Yaml.Map(bare, "securityContext"), "runAsUser"));
        Assert.Equal("true", Yaml.String(Yaml.Map(bare, "securityContext"), "runAsNonRoot"));
    }

    [Fact]
    public void An_entry_merges_computeResources_key_by_key_with_its_own_quantities_winning()
    {
        var (specs, _, pipeline) = Parse(Run);

        var applied = specs.Apply("build", Yaml.Map(Yaml.List(pipeline, "tasks")[0], "taskSpec"), out _);

        // MergeStepsWithSpecs is a strategic merge: the entry's limits.memory wins, the sidecar's cpu and requests stay.
        var resources = Yaml.Map(Yaml.List(applied, "sidecars")[0], "computeResources");
        Assert.Equal("128Mi", Yaml.String(Yaml.Map(resources, "limits"), "memory"));
        Assert.Equal("2", Yaml.String(Yaml.Map(resources, "limits"), "cpu"));
        Assert.Equal("512Mi", Yaml.String(Yaml.Map(resources, "requests"), "memory"));
    }

    [Fact]
    public void A_stepSpecs_or_sidecarSpecs_entry_without_a_name_or_named_twice_is_refused_with_its_line()
    {
        const string yaml = """
            apiVersion: tekton.dev/v1
            kind: PipelineRun
            metadata:
              name: specs
            spec:
              taskRunSpecs:
              - pipelineTaskName: build
                stepSpecs:
                - name: make
                - name: make
                sidecarSpecs:
                - computeResources: {}
              pipelineSpec:
                tasks:
                - name: build
                  taskSpec:
                    steps:
                    - name: make
                      image: busybox
            """;

        var problems = StepActions.FindInvalid(yaml, "specs.yaml");

        Assert.Equal(
            [
                "specs.yaml:10:13 spec.taskRunSpecs[0].stepSpecs[1].name: expected exactly one, got both (make is named twice: merge the two entries)",
                "specs.yaml:12:7 spec.taskRunSpecs[0].sidecarSpecs[0].name: missing field(s) (name the step or sidecar whose computeResources this sets)",
            ],
            problems);
    }
}
