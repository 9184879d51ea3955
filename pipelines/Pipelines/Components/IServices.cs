using Pipelines.Hosts;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>
/// The deployables a build declares, and which of them a run acts on: the base of every component that builds,
/// scans, signs or deploys services. With several services, a parameter marked <c>PerService</c> needs <c>--service</c>.
/// </summary>
public interface IServices : IPipelineBuild, IBuildCheck
{
    /// <summary>The name the CI files carry: the Tekton Pipeline and Tasks (<c>&lt;name&gt;-…</c>), the ConfigMap <c>&lt;name&gt;-config</c>.</summary>
    string Name { get; }

    /// <summary>The deployables of this repository, declared once; checked before any target runs.</summary>
    IReadOnlyList<Service> Services { get; }

    // Named with a leading underscore only so that it can be --service beside the Service type.
    [Parameter("The services to act on (names from the build's Services); default: all")]
    internal string[] _service => ValueOf(() => _service, []);

    [Parameter("Image to scan, sign, verify or deploy, pinned by digest (repository@sha256:…), for one --service; default: what Containerize recorded", PerService = true, LocalOnly = true)]
    string? Image => ValueOf(() => Image, null);

    /// <summary>The services this run acts on: <c>--service</c>'s, else all.</summary>
    IReadOnlyList<Service> SelectedServices => ServiceList.Select(Services, _service);

    /// <summary>Runs the composed components' checks before any target (a build that adds checks of its own calls <see cref="CheckComponents"/>).</summary>
    void IBuildCheck.BeforeTargets(ExecutionPlan plan, PipelineHost host) => CheckComponents(plan, host);

    /// <summary>
    /// The checks of every component this build composes, all problems reported together: each rule stays with the
    /// component that owns its parameter; this base, which every component shares, only runs them, so a build that
    /// composes components without deriving from GitOpsBuild gets the same checks.
    /// </summary>
    internal void CheckComponents(ExecutionPlan plan, PipelineHost host)
    {
        var problems = new List<string>();
        Check(() => CheckServices(plan));
        if (this is IGenerate generate) Check(() => generate.CheckGeneratedFiles(plan, host));
        // Parsing the webhooks also registers their URLs and secrets with the masker before any target logs.
        if (this is INotify notify) Check(() => notify.NotificationEndpoints());
        if (problems.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, problems));

        void Check(Action check)
        {
            try { check(); }
            catch (PipelineException e) { problems.Add(e.Message); }
        }
    }

    /// <summary>
    /// The services' problems and the parameters that describe one service, reported together before any target runs;
    /// the Dockerfiles, contexts and projects only when the run builds images (Containerize is planned).
    /// </summary>
    internal void CheckServices(ExecutionPlan plan)
    {
        var problems = new List<string>();
        IReadOnlyList<Service> selected = [];
        try { selected = SelectedServices; }
        catch (PipelineException unknown) { problems.Add(unknown.Message); }
        var builds = this is IContainerize containerize && plan.Targets.Any(t => t.Name == nameof(IContainerize.Containerize) && !t.IsSkipped)
            ? [.. selected.Select(containerize.AsBuilt)]
            : (IReadOnlyList<Service>)[];
        var parameters = ParameterDescriptor.Discover(GetType());
        // A path given by option (--dockerfile) is fixed on the command line, not in Services.
        string? OptionFor(string field)
        {
            var member = field == nameof(Service.Project) ? nameof(IContainerize.PublishProject) : field;
            return this is IContainerize && parameters.FirstOrDefault(p => p.MemberName == member) is { } parameter && IsGiven(member) ? "--" + parameter.CliName : null;
        }
        problems.AddRange(ServiceList.Problems(Services, RootDirectory, builds, OptionFor));
        // Given at all (even empty, as --publish-project "" is) they change the one service they are meant for.
        var oneServiceOnly = parameters.Where(p => p.IsPerService && IsGiven(p.MemberName)).Select(p => "--" + p.CliName).ToList();
        if (oneServiceOnly.Count > 0 && selected.Count > 1)
            problems.Add($"{string.Join(", ", oneServiceOnly)} describe{(oneServiceOnly.Count == 1 ? "s" : "")} one service, but this run acts on {selected.Count} ({string.Join(", ", selected.Select(s => s.Name))}): add --service <name>.");
        if (problems.Count > 0) throw new PipelineException(string.Join(System.Environment.NewLine, problems));
    }

    /// <summary>A note's name for a service: <c>Image</c> when the run acts on one, <c>Image shortlink</c> when on several.</summary>
    internal string NoteFor(string what, Service service) => SelectedServices.Count == 1 ? what : $"{what} {service.Name}";

    /// <summary>A message about a service: as it is when the run acts on one, prefixed with the service's name when on several.</summary>
    internal string MessageFor(Service service, string message) => SelectedServices.Count == 1 ? message : $"{service.Name}: {message}";
}
