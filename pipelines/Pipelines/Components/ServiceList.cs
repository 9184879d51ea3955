using System.Text.RegularExpressions;

namespace Pipelines.Components;

/// <summary>
/// Checks a build's services before any target runs: valid names, no duplicates, Dockerfiles and projects that exist,
/// and resolves <c>--service</c> to the services a run acts on.
/// </summary>
internal static partial class ServiceList
{
    /// <summary>Every problem with the declared services (and the files of those a run builds), each a sentence naming the service and the fix; empty when they are usable.</summary>
    /// <param name="services">The build's services.</param>
    /// <param name="rootDirectory">The repository root the paths are relative to.</param>
    /// <param name="built">The services the run builds, as it builds them: their Dockerfiles, contexts and projects must exist.</param>
    /// <param name="optionFor">The option that set a path in place of the service's (<c>Dockerfile</c> → <c>--dockerfile</c>),
    /// null where the path is the declared one: a wrong path is fixed where it was given.</param>
    public static IReadOnlyList<string> Problems(IReadOnlyList<Service> services, string rootDirectory, IReadOnlyList<Service> built, Func<string, string?>? optionFor = null)
    {
        optionFor ??= _ => null;
        var problems = new List<string>();
        if (services.Count == 0) problems.Add("The build declares no service: list at least one in Services, e.g. new Service(\"orders\").");
        foreach (var duplicate in services.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Service `{duplicate.Key}` is declared {duplicate.Count()} times in Services: give each service its own name.");
        foreach (var service in services)
        {
            if (!IsValidName(service.Name))
            {
                problems.Add($"Service name `{service.Name}` is not {NameRule}, e.g. `{Suggest(service.Name)}`.");
                continue;
            }
        }
        foreach (var service in built.Where(s => IsValidName(s.Name)))
        {
            if (!File.Exists(Path.Combine(rootDirectory, service.Dockerfile)))
                problems.Add(optionFor(nameof(Service.Dockerfile)) is { } option
                    ? $"{option} `{service.Dockerfile}` does not exist (relative to {rootDirectory}); pass the path of a Dockerfile, or leave {option} out to use the service's."
                    : $"Service `{service.Name}`: its Dockerfile `{service.Dockerfile}` does not exist; create it or set Dockerfile = \"<path>\" in Services.");
            if (!Directory.Exists(Path.Combine(rootDirectory, service.Context)))
                problems.Add(optionFor(nameof(Service.Context)) is { } option
                    ? $"{option} `{service.Context}` is not a folder (relative to {rootDirectory}); pass the build context folder, or leave {option} out to use the service's."
                    : $"Service `{service.Name}`: its build context `{service.Context}` does not exist; create it or set Context = \"<folder>\" in Services.");
            if (service.Project is { Length: > 0 } project && !File.Exists(Path.Combine(rootDirectory, project)) && !Directory.Exists(Path.Combine(rootDirectory, project)))
                problems.Add(optionFor(nameof(Service.Project)) is { } option
                    ? $"{option} `{project}` does not exist (relative to {rootDirectory}); pass the path of a .NET project, or {option} \"\" for a plain Dockerfile."
                    : $"Service `{service.Name}`: its .NET project `{project}` does not exist; fix Project in Services, or set it to null for a plain Dockerfile.");
        }
        return problems;
    }

    /// <summary>The services a run acts on: all of them, or those <c>--service</c> names (unknown names fail with the valid ones).</summary>
    public static IReadOnlyList<Service> Select(IReadOnlyList<Service> services, IReadOnlyList<string> selection)
    {
        if (selection.Count == 0) return services;
        var unknown = selection.Where(name => services.All(s => s.Name != name)).ToList();
        if (unknown.Count > 0)
            throw new PipelineException($"--service: {string.Join(", ", unknown.Select(n => $"`{n}`"))} is not a service of this build; choose from {string.Join(", ", services.Select(s => s.Name))}.");
        return services.Where(s => selection.Contains(s.Name)).ToList();
    }

    /// <summary>
    /// What a service name must be, in words: the build's message and the template's (templates/gitops-pipeline, whose
    /// serviceValid pattern is <see cref="NamePattern"/>'s text; a test keeps both the same).
    /// </summary>
    public const string NameRule = "a lower-case DNS label (a-z, 0-9 and '-', starting with a letter, at most 63 characters): it names the image and apps/<name>/ in the manifests";

    /// <summary>True for a lower-case RFC 1123 DNS label that starts with a letter.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static string Suggest(string name)
    {
        var cleaned = Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9-]+", "-").Trim('-');
        if (cleaned.Length == 0 || !char.IsAsciiLetterLower(cleaned[0])) cleaned = "svc-" + cleaned;
        return cleaned.Length > 63 ? cleaned[..63].TrimEnd('-') : cleaned;
    }

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
