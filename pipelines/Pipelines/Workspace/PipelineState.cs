using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Logging;

namespace Pipelines.Workspace;

/// <summary>
/// What targets published, kept in the state file (<see cref="Workspace.WorkspaceLayout.StateFile"/>) so that a later run
/// (<c>--skip</c>, or the next Tekton task on the same workspace) can read it back.
/// Secret values never reach the file: it is masked on every save.
/// </summary>
internal sealed class PipelineState
{
    /// <summary>The JSON settings records are saved with, so readers and writers agree.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly object _gate = new();
    private readonly SecretMasker _masker;
    private readonly JsonObject _outputs;
    private readonly JsonObject _records;

    private PipelineState(string path, SecretMasker masker, JsonObject outputs, JsonObject records)
    {
        Path = path;
        _masker = masker;
        _outputs = outputs;
        _records = records;
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>Reads the state file, or starts empty when there is none.</summary>
    public static PipelineState Load(string path, SecretMasker? masker = null)
    {
        masker ??= new SecretMasker();
        if (!File.Exists(path)) return new PipelineState(path, masker, [], []);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? [];
            return new PipelineState(path, masker,
                root["outputs"]?.DeepClone().AsObject() ?? [],
                root["records"]?.DeepClone().AsObject() ?? []);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new PipelineException($"The state file {path} is not valid JSON ({e.Message}). Delete it to start afresh.");
        }
    }

    /// <summary>A snapshot of every output recorded so far.</summary>
    public IReadOnlyDictionary<string, string> Outputs
    {
        get
        {
            lock (_gate)
                return _outputs.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "");
        }
    }

    /// <summary>An output a target published; null when none did.</summary>
    public string? Get(string output)
    {
        lock (_gate) return _outputs[output]?.GetValue<string>();
    }

    /// <summary>Records an output, masked, and saves the file.</summary>
    public void Set(string output, string value)
    {
        lock (_gate) _outputs[output] = _masker.Apply(value);
        Save();
    }

    /// <summary>A typed result a target recorded (a scan verdict, a deployed revision).</summary>
    public T? GetRecord<T>(string key) where T : class
    {
        lock (_gate) return _records[key]?.Deserialize<T>(Json);
    }

    /// <summary>Records a typed result for later targets and runs, and saves the file.</summary>
    public void SetRecord<T>(string key, T value) where T : class
    {
        var node = JsonSerializer.SerializeToNode(value, Json);
        lock (_gate)
        {
            _records[key] = node;
            _written?.Add(key);
        }
        Save();
    }

    /// <summary>The keys of records written since <see cref="TrackWrites"/>; null when not tracking.</summary>
    private HashSet<string>? _written;

    /// <summary>Starts collecting the keys of records written from now on (what a cached target recorded).</summary>
    internal void TrackWrites()
    {
        lock (_gate) _written = new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>The records written since <see cref="TrackWrites"/>, as JSON; stops collecting.</summary>
    internal Dictionary<string, JsonNode?> TakeWrites()
    {
        lock (_gate)
        {
            var written = _written ?? [];
            _written = null;
            return written.ToDictionary(key => key, key => _records[key]?.DeepClone(), StringComparer.Ordinal);
        }
    }

    /// <summary>Puts back a record a cached target wrote when it last ran, and saves the file.</summary>
    internal void RestoreRecord(string key, JsonNode? value)
    {
        lock (_gate) _records[key] = value?.DeepClone();
        Save();
    }

    /// <summary>Writes the state file.</summary>
    public void Save()
    {
        string text;
        lock (_gate)
            text = _masker.Apply(new JsonObject
            {
                ["version"] = 1,
                ["outputs"] = _outputs.DeepClone(),
                ["records"] = _records.DeepClone(),
            }.ToJsonString(Json));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, text + "\n");
        File.Move(temporary, Path, overwrite: true);
    }
}
