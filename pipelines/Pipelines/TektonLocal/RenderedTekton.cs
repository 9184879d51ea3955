using Pipelines.Logging;
using Pipelines.Processes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pipelines.TektonLocal;

/// <summary>
/// The objects <c>kubectl apply -k tekton/</c> would create, as <c>kubectl kustomize</c> renders them:
/// the Pipeline, its Tasks, ConfigMaps, and the PipelineRun template of the TriggerTemplate.
/// </summary>
internal sealed class RenderedTekton
{
    private RenderedTekton(IReadOnlyList<object?> documents) => Documents = documents;

    /// <summary>Every rendered object, as an untyped YAML tree.</summary>
    public IReadOnlyList<object?> Documents { get; }

    internal IEnumerable<object?> OfKind(string kind) => Documents.Where(d => Yaml.String(d, "kind") == kind);

    internal static string NameOf(object? document) => Yaml.String(Yaml.Map(document, "metadata"), "name") ?? "";

    /// <summary>The namespace the kustomization puts the objects in ("default" when it sets none).</summary>
    public string Namespace => Documents.Select(d => Yaml.String(Yaml.Map(d, "metadata"), "namespace")).FirstOrDefault(n => n is not null) ?? "default";

    /// <summary>The Pipeline with this name, or the only one when the name is null.</summary>
    internal object? Pipeline(string? name)
    {
        var pipelines = OfKind("Pipeline").ToList();
        if (name is not null) return pipelines.FirstOrDefault(p => NameOf(p) == name)
            ?? throw new PipelineException($"The rendered tekton/ has no Pipeline named {name} (it has: {string.Join(", ", pipelines.Select(NameOf))}).");
        if (pipelines.Count == 1) return pipelines[0];
        // Several (the main one and those started by hand): the one an EventListener starts, as a push would.
        var started = OfKind("EventListener")
            .SelectMany(l => Yaml.List(Yaml.Map(l, "spec"), "triggers"))
            .Select(t => Yaml.String(Yaml.Map(t, "template"), "ref"))
            .SelectMany(template => OfKind("TriggerTemplate").Where(t => NameOf(t) == template))
            .SelectMany(t => Yaml.List(Yaml.Map(t, "spec"), "resourcetemplates"))
            .Select(r => Yaml.String(Yaml.Map(Yaml.Map(r, "spec"), "pipelineRef"), "name"))
            .Distinct().ToList();
        return started.Count == 1 && pipelines.FirstOrDefault(p => NameOf(p) == started[0]) is { } main ? main
            : throw new PipelineException($"The rendered tekton/ holds {pipelines.Count} Pipelines ({string.Join(", ", pipelines.Select(NameOf))}); name the one to run.");
    }

    /// <summary>The Task a taskRef names.</summary>
    internal object? Task(string name) => OfKind("Task").FirstOrDefault(t => NameOf(t) == name);

    /// <summary>The StepAction a step's <c>ref.name</c> names, found where Tasks are.</summary>
    internal object? StepAction(string name) => OfKind("StepAction").FirstOrDefault(t => NameOf(t) == name);

    /// <summary>
    /// Values that replace a ConfigMap's keys for this run (the local defaults of ./build.sh Deploy, such as REGISTRY),
    /// as a cluster operator would set them with <c>kubectl edit configmap</c>; a key the ConfigMap lacks is not added.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The data of a ConfigMap with <see cref="Settings"/> applied, or null when there is none by that name.</summary>
    internal IReadOnlyDictionary<string, object?>? ConfigMap(string name)
    {
        if (OfKind("ConfigMap").FirstOrDefault(c => NameOf(c) == name) is not { } map) return null;
        var data = Yaml.Map(map, "data").ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, value) in Settings) if (data.ContainsKey(key)) data[key] = value;
        return data;
    }

    /// <summary>The same objects with these ConfigMap settings applied.</summary>
    internal RenderedTekton WithSettings(IReadOnlyDictionary<string, string> settings) =>
        new(Documents) { Settings = new Dictionary<string, string>(settings) };

    /// <summary>The keys of a Secret object among these (data and stringData), or null when there is none by that name.</summary>
    internal IReadOnlyList<string>? SecretKeys(string name) =>
        OfKind("Secret").FirstOrDefault(c => NameOf(c) == name) is { } secret
            ? Yaml.Map(secret, "data").Keys.Concat(Yaml.Map(secret, "stringData").Keys).Distinct().ToList() : null;

    /// <summary>A key of a Secret object among these (stringData as written, data base64-decoded), or null.</summary>
    internal string? SecretValue(string name, string key)
    {
        if (OfKind("Secret").FirstOrDefault(c => NameOf(c) == name) is not { } secret) return null;
        if (Yaml.String(Yaml.Map(secret, "stringData"), key) is { } text) return text;
        return Yaml.String(Yaml.Map(secret, "data"), key) is { } encoded ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
    }

    /// <summary>Objects gathered from a run file and its resources folder.</summary>
    internal static RenderedTekton Of(IEnumerable<object?> documents) => new(documents.Where(d => d is not null).ToList());

    /// <summary>The keys of every rendered ConfigMap (what --tekton-settings may set).</summary>
    internal IEnumerable<string> SettingKeys => OfKind("ConfigMap").SelectMany(c => Yaml.Map(c, "data").Keys).Distinct();

    /// <summary>The PipelineRun spec the TriggerTemplate creates for this Pipeline, if there is one.</summary>
    internal object? TriggeredRun(string pipeline) => OfKind("TriggerTemplate")
        .SelectMany(t => Yaml.List(Yaml.Map(t, "spec"), "resourcetemplates"))
        .FirstOrDefault(r => Yaml.String(r, "kind") == "PipelineRun" && Yaml.String(Yaml.Map(Yaml.Map(r, "spec"), "pipelineRef"), "name") == pipeline);

    /// <summary>Renders the kustomization in this folder with <c>kubectl kustomize</c>.</summary>
    public static async Task<RenderedTekton> RenderAsync(string folder, ILog log, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(folder, "kustomization.yaml")))
            throw new PipelineException($"{folder} holds no kustomization.yaml: run ./build.sh Generate to write the Tekton files, or pass the folder that holds them.");
        var result = await new Command("kubectl").WithArguments("kustomize", folder).WithOutput(OutputMode.Quiet)
            .WithMissingHint("install kubectl (it renders tekton/ with its built-in kustomize)")
            .ExecuteAsync(log, cancellationToken);
        if (!result.Succeeded)
            throw new PipelineException($"{folder} does not render (kubectl kustomize {folder}: {FirstLine(result.StandardError)}); fix the kustomization or run ./build.sh Generate.");
        return Parse(result.StandardOutput, folder);
    }

    /// <summary>Parses a multi-document YAML stream of rendered objects.</summary>
    public static RenderedTekton Parse(string yaml, string origin)
    {
        var documents = new List<object?>();
        try
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(yaml));
            var deserializer = new DeserializerBuilder().Build();
            parser.Consume<YamlDotNet.Core.Events.StreamStart>();
            while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
                documents.Add(deserializer.Deserialize<object?>(parser));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineException($"{origin} does not render to valid YAML ({e.Message}); fix it or run ./build.sh Generate.", e);
        }
        return new RenderedTekton(documents.Where(d => d is not null).ToList());
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
