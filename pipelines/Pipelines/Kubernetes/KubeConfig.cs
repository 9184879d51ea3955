using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Pipelines.Kubernetes;

/// <summary>Reads kubeconfig files the way kubectl does, and the in-cluster service account.</summary>
public static class KubeConfig
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

        var (contextFile, context) = Find(configs, c => c.Contexts, contextName, "context");
        var (_, cluster) = Find(configs, c => c.Clusters, context.Context.Cluster, "cluster");
        var (userFile, user) = Find(configs, c => c.Users, context.Context.User, "user");
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(contextFile))!;

        if (string.IsNullOrEmpty(cluster.Cluster.Server))
            throw new PipelineException($"Cluster {cluster.Name} in {contextFile} has no server.");

        return new KubeEndpoint
        {
            Server = new Uri(cluster.Cluster.Server),
            Namespace = context.Context.Namespace,
            CertificateAuthorityPem = DataOrFile(cluster.Cluster.CertificateAuthorityData, cluster.Cluster.CertificateAuthority, baseDirectory),
            InsecureSkipTlsVerify = cluster.Cluster.InsecureSkipTlsVerify,
            Token = user.User.Token,
            TokenFile = user.User.TokenFile is { Length: > 0 } tokenFile ? Path.GetFullPath(tokenFile, Path.GetDirectoryName(Path.GetFullPath(userFile))!) : null,
            ClientCertificatePem = DataOrFile(user.User.ClientCertificateData, user.User.ClientCertificate, baseDirectory),
            ClientKeyPem = DataOrFile(user.User.ClientKeyData, user.User.ClientKey, baseDirectory),
            Exec = user.User.Exec is { Command.Length: > 0 } exec
                ? new ExecCredentialPlugin(exec.Command, exec.Args ?? [], (exec.Env ?? []).ToDictionary(e => e.Name, e => e.Value), exec.ApiVersion ?? "client.authentication.k8s.io/v1")
                : null,
            Source = $"context {contextName} in {contextFile}",
        };
    }

    private static (string File, T Item) Find<T>(List<(string File, KubeConfigFile Config)> configs, Func<KubeConfigFile, List<T>?> select, string name, string what)
        where T : class, INamed
    {
        foreach (var (file, config) in configs)
            if ((select(config) ?? []).FirstOrDefault(i => i.Name == name) is { } item)
                return (file, item);
        var known = configs.SelectMany(c => select(c.Config) ?? []).Select(i => i.Name).Distinct();
        throw new PipelineException($"The kubeconfig has no {what} named '{name}'. Known: {string.Join(", ", known)}.");
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

    private static KubeConfigFile Parse(string file)
    {
        try
        {
            return new DeserializerBuilder()
                .WithNamingConvention(HyphenatedNamingConvention.Instance)
                .IgnoreUnmatchedProperties()
                .Build()
                .Deserialize<KubeConfigFile>(File.ReadAllText(file)) ?? new KubeConfigFile();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PipelineException($"The kubeconfig {file} is not valid YAML (line {e.Start.Line}): {e.InnerException?.Message ?? e.Message}");
        }
    }

    private interface INamed { string Name { get; } }

    private sealed class KubeConfigFile
    {
        public string? CurrentContext { get; set; }
        public List<NamedCluster>? Clusters { get; set; }
        public List<NamedContext>? Contexts { get; set; }
        public List<NamedUser>? Users { get; set; }
    }

    private sealed class NamedCluster : INamed
    {
        public string Name { get; set; } = "";
        public ClusterEntry Cluster { get; set; } = new();
    }

    private sealed class ClusterEntry
    {
        public string? Server { get; set; }
        public string? CertificateAuthority { get; set; }
        public string? CertificateAuthorityData { get; set; }
        public bool InsecureSkipTlsVerify { get; set; }
    }

    private sealed class NamedContext : INamed
    {
        public string Name { get; set; } = "";
        public ContextEntry Context { get; set; } = new();
    }

    private sealed class ContextEntry
    {
        public string Cluster { get; set; } = "";
        public string User { get; set; } = "";
        public string? Namespace { get; set; }
    }

    private sealed class NamedUser : INamed
    {
        public string Name { get; set; } = "";
        public UserEntry User { get; set; } = new();
    }

    private sealed class UserEntry
    {
        public string? Token { get; set; }
        [YamlMember(Alias = "tokenFile")]
        public string? TokenFile { get; set; }
        public string? ClientCertificate { get; set; }
        public string? ClientCertificateData { get; set; }
        public string? ClientKey { get; set; }
        public string? ClientKeyData { get; set; }
        public ExecEntry? Exec { get; set; }
    }

    private sealed class ExecEntry
    {
        public string Command { get; set; } = "";
        public List<string>? Args { get; set; }
        public List<EnvEntry>? Env { get; set; }
        [YamlMember(Alias = "apiVersion")]
        public string? ApiVersion { get; set; }
    }

    private sealed class EnvEntry
    {
        public string Name { get; set; } = "";
        public string Value { get; set; } = "";
    }
}
