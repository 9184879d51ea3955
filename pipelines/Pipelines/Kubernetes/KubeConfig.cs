using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Kubernetes;

/// <summary>
/// Reads kubeconfig files the way kubectl does (through KubernetesClient's kubeconfig model), and the in-cluster
/// service account. Contexts, clusters and users are looked up here across a KUBECONFIG list so a missing one is
/// named with the known ones, and exec plugins and <c>tokenFile</c> are left to our token providers.
/// </summary>
internal static class KubeConfig
{
    /// <summary>Where a pod's service-account token, CA and namespace are mounted.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// <c>--kubeconfig</c> when given, else <c>KUBECONFIG</c> (a list of files; the first file naming a context wins),
    /// else <c>~/.kube/config</c>, else the in-cluster service account.
    /// </summary>
    public static KubeEndpoint Resolve(string? kubeconfigPath, string? context, IReadOnlyDictionary<string, string> environment, string? serviceAccountDirectory = null)
    {
        // --kubeconfig binds from KUBECONFIG too, which kubectl reads as a list: accept one for both.
        var files = kubeconfigPath is { Length: > 0 }
            ? kubeconfigPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : environment.GetValueOrDefault("KUBECONFIG") is { Length: > 0 } list
                ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                : [Path.Combine(environment.GetValueOrDefault("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")];

        var existing = files.Where(File.Exists).ToList();
        if (existing.Count > 0) return FromFiles(existing, context);
        if (kubeconfigPath is { Length: > 0 })
            throw new PipelineException($"The kubeconfig {kubeconfigPath} (from --kubeconfig) does not exist.");

        if (environment.GetValueOrDefault("KUBERNETES_SERVICE_HOST") is { Length: > 0 } host)
            return InCluster(host, environment.GetValueOrDefault("KUBERNETES_SERVICE_PORT") ?? "443", serviceAccountDirectory ?? ServiceAccountDirectory);

        throw new PipelineException(
            $"No Kubernetes credentials: none of {string.Join(", ", files)} exists and this is not a pod. " +
            "Pass --kubeconfig <file>, set KUBECONFIG, or run inside the cluster with a service account.");
    }

    /// <summary>Builds the endpoint a pod uses: the service host and port, authenticated by the mounted token.</summary>
    public static KubeEndpoint InCluster(string host, string port, string directory)
    {
        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
            throw new PipelineException($"In-cluster configuration needs the service-account token at {tokenFile}; the pod has no service account token mounted.");
        var caFile = Path.Combine(directory, "ca.crt");
        var namespaceFile = Path.Combine(directory, "namespace");
        return new KubeEndpoint
        {
            Server = new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}"),
            TokenFile = tokenFile,
            CertificateAuthorityPem = File.Exists(caFile) ? File.ReadAllText(caFile) : null,
            Namespace = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : null,
            Source = "the in-cluster service account",
        };
    }

    private static KubeEndpoint FromFiles(IReadOnlyList<string> files, string? requestedContext)
    {
        var configs = files.Select(f => (File: f, Config: Parse(f))).ToList();
        var contextName = requestedContext ?? configs.Select(c => c.Config.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c))
            ?? throw new PipelineException($"The kubeconfig ({string.Join(", ", files)}) has no current-context; pass --kube-context <name>.");

        var (contextFile, context) = Find(configs, c => c.Contexts, c => c.Name, contextName, "context",
            requestedContext is null ? $" (its current-context); pass --kube-context <name> with one of its contexts, or fix current-context" : " (--kube-context); pass --kube-context with one of its contexts");
        var details = context.ContextDetails ?? throw new PipelineException($"Context {contextName} in {contextFile} has no cluster or user.");
        var (_, cluster) = Find(configs, c => c.Clusters, c => c.Name, details.Cluster ?? "", "cluster");
        var (userFile, user) = Find(configs, c => c.Users, u => u.Name, details.User ?? "", "user");
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(contextFile))!;
        var server = cluster.ClusterEndpoint?.Server;
        var credentials = user.UserCredentials ?? new UserCredentials();

        if (string.IsNullOrEmpty(server))
            throw new PipelineException($"Cluster {cluster.Name} in {contextFile} has no server.");

        return new KubeEndpoint
        {
            Server = new Uri(server),
            Namespace = details.Namespace,
            CertificateAuthorityPem = DataOrFile(cluster.ClusterEndpoint!.CertificateAuthorityData, cluster.ClusterEndpoint.CertificateAuthority, baseDirectory),
            InsecureSkipTlsVerify = cluster.ClusterEndpoint.SkipTlsVerify,
            Token = credentials.Token is { Length: > 0 } token ? token : null,
            TokenFile = TokenFileOf(userFile, user.Name) is { Length: > 0 } tokenFile ? Path.GetFullPath(tokenFile, Path.GetDirectoryName(Path.GetFullPath(userFile))!) : null,
            ClientCertificatePem = DataOrFile(credentials.ClientCertificateData, credentials.ClientCertificate, baseDirectory),
            ClientKeyPem = DataOrFile(credentials.ClientKeyData, credentials.ClientKey, baseDirectory),
            Exec = credentials.ExternalExecution is { Command.Length: > 0 } exec
                ? new ExecCredentialPlugin(
                    // As client-go: a relative path with a slash is relative to the kubeconfig that names it; a bare name is looked up on PATH.
                    exec.Command.Contains('/') && !Path.IsPathRooted(exec.Command) ? Path.GetFullPath(exec.Command, Path.GetDirectoryName(Path.GetFullPath(userFile))!) : exec.Command,
                    exec.Arguments?.ToList() ?? [],
                    (exec.EnvironmentVariables ?? []).Where(e => e.ContainsKey("name")).ToDictionary(e => e["name"], e => e.GetValueOrDefault("value") ?? ""),
                    exec.ApiVersion ?? "client.authentication.k8s.io/v1")
                : null,
            Source = $"context {contextName} in {contextFile}",
        };
    }

    /// <param name="fix">What names <paramref name="name"/> and how to choose another, appended to the error.</param>
    private static (string File, T Item) Find<T>(List<(string File, K8SConfiguration Config)> configs, Func<K8SConfiguration, IEnumerable<T>?> select, Func<T, string?> nameOf, string name, string what, string fix = "")
        where T : class
    {
        foreach (var (file, config) in configs)
            if ((select(config) ?? []).FirstOrDefault(i => nameOf(i) == name) is { } item)
                return (file, item);
        var known = configs.SelectMany(c => select(c.Config) ?? []).Select(nameOf).Distinct().ToList();
        throw new PipelineException($"The kubeconfig {string.Join(", ", configs.Select(c => c.File))} has no {what} named '{name}'{fix}. " +
                                    $"Known: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
    }

    private static string? DataOrFile(string? base64, string? file, string baseDirectory)
    {
        if (base64 is { Length: > 0 })
        {
            try { return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
            catch (FormatException) { throw new PipelineException("A *-data field of the kubeconfig is not valid base64."); }
        }
        if (file is not { Length: > 0 }) return null;
        var path = Path.GetFullPath(file, baseDirectory);
        return File.Exists(path) ? File.ReadAllText(path) : throw new PipelineException($"The kubeconfig names {path}, which does not exist.");
    }

    /// <summary>The file as KubernetesClient reads it (merging and exec left to us: the package would run plugins while loading).</summary>
    private static K8SConfiguration Parse(string file)
    {
        try
        {
            return KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file), useRelativePaths: false);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineException($"The kubeconfig {file} is not valid YAML (line {e.Start.Line}): {e.InnerException?.Message ?? e.Message}");
        }
        catch (KubeConfigException e)
        {
            throw new PipelineException($"The kubeconfig {file} cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// A user's <c>tokenFile</c>, which kubectl honours and KubernetesClient's model lacks: read from the same file
    /// with YamlDotNet's document model (<c>users[name=…].user.tokenFile</c>).
    /// </summary>
    private static string? TokenFileOf(string file, string? userName)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file)) stream.Load(reader);
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("users"), out var users) || users is not YamlSequenceNode list)
            return null;
        foreach (var entry in list.OfType<YamlMappingNode>())
        {
            if (!entry.Children.TryGetValue(new YamlScalarNode("name"), out var name) || (name as YamlScalarNode)?.Value != userName) continue;
            if (entry.Children.TryGetValue(new YamlScalarNode("user"), out var user) && user is YamlMappingNode fields
                && fields.Children.TryGetValue(new YamlScalarNode("tokenFile"), out var tokenFile))
                return (tokenFile as YamlScalarNode)?.Value;
        }
        return null;
    }
}
