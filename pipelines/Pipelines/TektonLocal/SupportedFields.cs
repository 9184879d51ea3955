using YamlDotNet.RepresentationModel;

namespace Pipelines.TektonLocal;

/// <summary>
/// The allow-list of the Tekton v1 fields the local runner implements. A field outside it (a resolver, a step's
/// <c>ref.resolver</c>, <c>when.cel</c>, a misspelt key…) would otherwise be ignored and the run would mean
/// something else than on a cluster, so every such field is found, with its file:line, before any container starts.
/// </summary>
internal static class SupportedFields
{
    /// <summary>A node's allowed shape: its keys (each with its own shape), or any content, or a scalar among some values.</summary>
    private sealed class Shape
    {
        public Dictionary<string, Shape> Keys { get; } = new(StringComparer.Ordinal);
        public bool AnyContent { get; init; }
        public string[]? Values { get; init; }
        /// <summary>A <c>$(params.…)</c> reference is allowed in place of the values (checked once substituted).</summary>
        public bool ParamRef { get; init; }
        /// <summary>Why a subtree is not checked (a sidecar served by the local engine), or null.</summary>
        public Func<YamlMappingNode, bool>? Exempt { get; init; }

        public Shape With(params (string Key, Shape Shape)[] keys)
        {
            foreach (var (key, shape) in keys) Keys[key] = shape;
            return this;
        }
    }

    private static Shape Any => new() { AnyContent = true };
    private static Shape Scalar => new();
    private static Shape OneOf(params string[] values) => new() { Values = values };
    private static Shape Keys(params string[] keys) => new Shape().With(keys.Select(k => (k, Scalar)).ToArray());

    private static readonly Shape Metadata = Keys("name", "generateName", "namespace").With(("labels", Any), ("annotations", Any));
    private static readonly Shape KeyRef = Keys("name", "key", "optional");
    private static readonly Shape Env = Keys("name", "value").With(("valueFrom", new Shape().With(("secretKeyRef", KeyRef), ("configMapKeyRef", KeyRef))));
    private static readonly Shape EnvFrom = Keys("prefix").With(("configMapRef", Keys("name", "optional")), ("secretRef", Keys("name", "optional")));
    private static readonly Shape SecurityContext = Keys("runAsUser", "runAsGroup", "runAsNonRoot", "privileged", "allowPrivilegeEscalation")
        .With(("capabilities", new Shape().With(("add", Scalar), ("drop", Scalar))));
    // requests only place a pod on a node: nothing to do on one engine; limits become the container's limits.
    private static readonly Shape Resources = new Shape().With(("limits", Keys("memory", "cpu")), ("requests", Any));
    private static readonly Shape VolumeMount = Keys("name", "mountPath", "readOnly");
    // The kubelet's probe actions a sidecar's startup and readiness wait on (grpc is not run locally).
    private static readonly Shape Probe = Keys("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold").With(
        ("exec", Keys("command")), ("httpGet", Keys("path", "port", "host", "scheme").With(("httpHeaders", Keys("name", "value")))), ("tcpSocket", Keys("port", "host")));

    private static Shape Container(params string[] extra) => Keys(["name", "image", "command", "args", "script", "workingDir", "imagePullPolicy", .. extra])
        .With(("env", Env), ("envFrom", EnvFrom), ("securityContext", SecurityContext), ("computeResources", Resources), ("volumeMounts", VolumeMount),
            ("workspaces", Keys("name", "mountPath")));

    // configMap/secret/projected volumes and workspaces: one read-only file per key (items pick and rename keys).
    private static readonly Shape Items = Keys("key", "path");
    private static readonly Shape ConfigMapSource = Keys("name", "optional").With(("items", Items));
    private static readonly Shape SecretSource = Keys("secretName", "optional").With(("items", Items));
    private static readonly Shape Projected = new Shape().With(("sources", new Shape().With(
        ("configMap", Keys("name", "optional").With(("items", Items))), ("secret", Keys("name", "optional").With(("items", Items))))));

    private static readonly Shape Volumes = Keys("name").With(("emptyDir", Any), ("configMap", ConfigMapSource), ("secret", SecretSource), ("projected", Projected));
    private static readonly Shape StepResult = Keys("name", "type", "description").With(("properties", Any));
    private static readonly Shape Param = Keys("name", "type", "default", "description").With(("default", Any), ("properties", Any));

    private static readonly Shape TaskSpec = Keys("description", "displayName").With(
        ("metadata", Metadata),
        ("params", Param),
        ("workspaces", Keys("name", "mountPath", "readOnly", "optional", "description")),
        ("results", Keys("name", "type", "description").With(("properties", Any), ("value", Any))),
        // container_validation.go: a step's onError may be a param reference (isParamRefs); PipelineSchedule checks the value.
        // A StepAction by ref.name among the run's objects (StepActions); a resolver's remote one is not fetched.
        ("steps", Container("timeout", "displayName").With(("onError", new Shape { Values = ["continue", "stopAndFail"], ParamRef = true }), ("ref", Keys("name")),
            ("params", Keys("name").With(("value", Any))), ("results", StepResult))),
        ("stepTemplate", Container()),
        ("volumes", Volumes));

    private static readonly Shape ParamValue = Keys("name").With(("value", Any));
    private static readonly Shape PipelineTask = Keys("name", "displayName", "description", "runAfter", "retries", "timeout").With(
        ("taskRef", Keys("name").With(("kind", OneOf("Task")))),
        ("taskSpec", TaskSpec),
        ("params", ParamValue),
        ("workspaces", Keys("name", "workspace", "subPath")),
        ("when", Keys("input", "values").With(("operator", OneOf("in", "notin")))),
        ("onError", OneOf("continue", "stopAndFail")),
        ("matrix", new Shape().With(("params", ParamValue), ("include", Keys("name").With(("params", ParamValue))))));

    private static readonly Shape PipelineSpec = Keys("description", "displayName").With(
        ("params", Keys("name", "type", "description").With(("default", Any), ("properties", Any))),
        ("workspaces", Keys("name", "description", "optional")),
        ("results", Keys("name", "type", "description").With(("value", Any))),
        ("tasks", PipelineTask),
        ("finally", PipelineTask));

    // emptyDir and volumeClaimTemplate are a fresh volume of the run, a claim one volume per claimName (RunVolumes).
    private static readonly Shape Binding = Keys("name", "subPath").With(("emptyDir", Any), ("volumeClaimTemplate", Any), ("persistentVolumeClaim", Keys("claimName", "readOnly")),
        ("configMap", ConfigMapSource), ("secret", SecretSource), ("projected", Projected));
    // The pod's volumes join the Task's; its runAs* apply to every container that does not set its own (PodTemplate).
    private static readonly Shape PodTemplate = new Shape().With(("securityContext", Keys("fsGroup", "runAsUser", "runAsGroup", "runAsNonRoot")), ("volumes", Volumes));
    private static readonly Shape ContainerSpecs = Keys("name").With(("computeResources", Resources));
    private static readonly Shape TaskRunSpecs = Keys("pipelineTaskName", "serviceAccountName", "timeout").With(("podTemplate", PodTemplate),
        ("stepSpecs", ContainerSpecs), ("sidecarSpecs", ContainerSpecs), ("metadata", new Shape().With(("labels", Any), ("annotations", Any))));

    private static readonly Dictionary<string, Shape> Kinds = new(StringComparer.Ordinal)
    {
        ["Task"] = Keys("kind").With(("apiVersion", OneOf("tekton.dev/v1")), ("metadata", Metadata), ("spec", TaskSpec)),
        ["Pipeline"] = Keys("kind").With(("apiVersion", OneOf("tekton.dev/v1")), ("metadata", Metadata), ("spec", PipelineSpec)),
        ["PipelineRun"] = Keys("kind").With(("apiVersion", OneOf("tekton.dev/v1")), ("metadata", Metadata), ("spec", new Shape().With(
            ("pipelineRef", Keys("name")), ("pipelineSpec", PipelineSpec), ("params", ParamValue), ("workspaces", Binding),
            ("timeouts", Keys("pipeline", "tasks", "finally")),
            ("taskRunTemplate", Keys("serviceAccountName").With(("podTemplate", PodTemplate))), ("taskRunSpecs", TaskRunSpecs)))),
        ["StepAction"] = Keys("kind").With(("apiVersion", OneOf("tekton.dev/v1beta1", "tekton.dev/v1alpha1")), ("metadata", Metadata), ("spec",
            Keys("image", "command", "args", "script", "workingDir", "description").With(("env", Env), ("securityContext", SecurityContext),
                ("volumeMounts", VolumeMount), ("params", Param), ("results", StepResult)))),
        ["TaskRun"] = Keys("kind").With(("apiVersion", OneOf("tekton.dev/v1")), ("metadata", Metadata), ("spec", Keys("serviceAccountName", "timeout").With(
            ("taskRef", Keys("name").With(("kind", OneOf("Task")))), ("taskSpec", TaskSpec), ("params", ParamValue),
            ("workspaces", Binding), ("podTemplate", PodTemplate)))),
    };

    static SupportedFields()
    {
        // The Docker-in-Docker sidecar is not run as written: the local engine serves it (said in the log).
        TaskSpec.Keys["sidecars"] = new Shape { Exempt = IsDindNode }.With(Container().Keys.Select(p => (p.Key, p.Value)).ToArray())
            .With(("readinessProbe", Probe), ("startupProbe", Probe), ("ports", Any));
    }

    /// <summary>A dind sidecar, or one whose image a param gives: that is known only once substituted (<see cref="FindInSidecar"/>).</summary>
    private static bool IsDindNode(YamlMappingNode sidecar) =>
        sidecar.Children.TryGetValue(new YamlScalarNode("image"), out var image) && image is YamlScalarNode scalar
        && (TaskPod.IsDind(new Dictionary<string, object?> { ["image"] = scalar.Value }) || scalar.Value?.Contains("$(", StringComparison.Ordinal) == true);

    /// <summary>The unsupported fields of a substituted sidecar that is not served by the local engine (its image came from a param).</summary>
    public static IEnumerable<string> FindInSidecar(object? sidecar)
    {
        var allowed = TaskSpec.Keys["sidecars"].Keys;
        return TaskPod.IsDind(sidecar) ? [] : Yaml.Map(sidecar).Keys.Where(k => !allowed.ContainsKey(k)).Select(k => $"sidecars.{k}");
    }

    /// <summary>The unsupported fields of every Tekton object in this YAML text, as "file:line:column path (kind/name)".</summary>
    public static IReadOnlyList<string> Find(string yaml, string file)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlDotNet.Core.YamlException e) { throw new PipelineException($"{file} is not valid YAML ({e.Message}); fix it.", e); }
        var problems = new List<string>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            var kind = ScalarOf(root, "kind");
            if (kind is null || !Kinds.TryGetValue(kind, out var shape)) continue;
            Walk(root, shape, "", file, problems);
        }
        return problems;
    }

    /// <summary>The unsupported fields of the Tekton objects in these files; one message listing all, or nothing.</summary>
    public static void Check(IEnumerable<string> files)
    {
        var problems = files.SelectMany(f => Find(File.ReadAllText(f), f)).ToList();
        if (problems.Count > 0)
            throw new PipelineException($"The local runner does not implement {problems.Count} field(s) used here, so nothing was started (a cluster would honour them; run it there, or remove them):\n  {string.Join("\n  ", problems)}");
    }

    private static void Walk(YamlNode node, Shape shape, string path, string file, List<string> problems)
    {
        if (shape.AnyContent) return;
        switch (node)
        {
            case YamlSequenceNode sequence:
                var index = 0;
                foreach (var item in sequence.Children) Walk(item, shape, $"{path}[{index++}]", file, problems);
                return;
            case YamlMappingNode map:
                if (shape.Exempt?.Invoke(map) == true) return;
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "?";
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    if (shape.Keys.TryGetValue(name, out var inner)) Walk(value, inner, field, file, problems);
                    else problems.Add($"{file}:{key.Start.Line}:{key.Start.Column} {field}");
                }
                return;
            case YamlScalarNode scalar when shape.Values is { } values && !values.Contains(scalar.Value)
                && !(shape.ParamRef && scalar.Value?.StartsWith("$(params.", StringComparison.Ordinal) == true):
                problems.Add($"{file}:{scalar.Start.Line}:{scalar.Start.Column} {path}: {scalar.Value} (supported: {string.Join(", ", values)})");
                return;
        }
    }

    private static string? ScalarOf(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
