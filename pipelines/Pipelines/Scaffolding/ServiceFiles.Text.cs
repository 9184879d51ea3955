namespace Pipelines.Scaffolding;

internal static partial class ServiceFiles
{
    private static string BaseKustomization(NewService s) => $"""
        # {s.Name} as every environment shares it. Each overlay in ../overlays/<env> names the image it runs;
        # nothing environment-specific belongs here.
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: {s.Name}
        resources:
          - serviceaccount.yaml
          - deployment.yaml
        {(s.IsWorker ? "" : "  - service.yaml\n")}  - networkpolicy.yaml

        """;

    private static string Deployment(NewService s) => $"""
        {(s.IsWorker
            ? "# A starter Deployment for a worker: it listens on nothing, runs as a non-root user with a read-only root filesystem."
            : $"# A starter Deployment: the container listens on {s.Port} as a non-root user with a read-only root filesystem.")}
        # Add your service's probes, environment and resources here.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {s.Name}
          labels:
            app.kubernetes.io/name: {s.Name}
        spec:
          replicas: {(s.IsWorker ? 1 : 2)}
          revisionHistoryLimit: 5
          selector:
            matchLabels:
              app.kubernetes.io/name: {s.Name}
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxSurge: 25%
              maxUnavailable: 0
          template:
            metadata:
              labels:
                app.kubernetes.io/name: {s.Name}
            spec:
              serviceAccountName: {s.Name}
              automountServiceAccountToken: false
              enableServiceLinks: false
              securityContext:
                runAsNonRoot: true
                runAsUser: 65532
                runAsGroup: 65532
                seccompProfile:
                  type: RuntimeDefault
              containers:
                - name: {s.Name}
                  # Rewritten by the `images:` entries in kustomization.yaml (base) and the overlays.
                  image: {s.Name}
                  imagePullPolicy: IfNotPresent
        {(s.IsWorker ? "" : $"""
                          ports:
                            - name: http
                              containerPort: {s.Port}
                              protocol: TCP
                          readinessProbe:
                            tcpSocket:
                              port: http
                            periodSeconds: 5

                """)}          resources:
                    requests:
                      cpu: 50m
                      memory: 64Mi
                    limits:
                      cpu: 500m
                      memory: 256Mi
                  securityContext:
                    readOnlyRootFilesystem: true
                    allowPrivilegeEscalation: false
                    capabilities:
                      drop:
                        - ALL

        """;

    private static string KubernetesService(NewService s) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {s.Name}
          labels:
            app.kubernetes.io/name: {s.Name}
        spec:
          type: ClusterIP
          selector:
            app.kubernetes.io/name: {s.Name}
          ports:
            - name: http
              port: 80
              targetPort: http
              protocol: TCP

        """;

    private static string ServiceAccount(NewService s) => $"""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {s.Name}
          labels:
            app.kubernetes.io/name: {s.Name}
        # The service does not call the Kubernetes API.
        automountServiceAccountToken: false

        """;

    /// <summary>Ingress to the pods: a worker's is closed; a service's is its port only. One policy text, two endings.</summary>
    private static string NetworkPolicy(NewService s) =>
        (s.IsWorker
            ? """
              # Nothing may reach the worker (it listens on nothing). Outgoing traffic is not restricted here: add
              # Egress to policyTypes with the rules it needs (DNS and what it calls) to restrict it.

              """
            : """
              # Only the service's port is reachable; everything else sent to the pods is dropped.

              """) +
        $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: {s.Name}
          labels:
            app.kubernetes.io/name: {s.Name}
        spec:
          podSelector:
            matchLabels:
              app.kubernetes.io/name: {s.Name}
          policyTypes:
            - Ingress

        """ +
        (s.IsWorker
            ? """
                # No ingress rules: every connection to the pods is dropped.

              """
            : $"""
                ingress:
                  - ports:
                      - port: {s.Port}
                        protocol: TCP

              """);

    private static string Overlay(NewService s, string environment) => $"""
        # {s.Name} in {environment}. The Deploy step edits only the `images:` entry below (newName, newTag and digest), in
        # place, so the image renders as <newName>:<newTag>@<digest>.
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        labels:
          - pairs:
              app.kubernetes.io/environment: {environment}
            includeSelectors: false
            includeTemplates: true
        images:
          # `name` is the image written in the base Deployment, which is how the build finds this entry (the service's name).
          - name: {s.Name}
            newName: {s.Registry}/{s.Name}
            newTag: "0.1.0"
            # sha256 of the signed image; empty until the first deploy writes it.
            digest: ""

        """;

    /// <summary>The service's namespace, a document of <c>manifests/infrastructure/namespace.yaml</c>.</summary>
    public static string Namespace(NewService s) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {s.Name}
          labels:
            app.kubernetes.io/name: {s.Name}
            # The pods already meet the "restricted" Pod Security Standard; enforcing it keeps it that way.
            pod-security.kubernetes.io/enforce: restricted
            pod-security.kubernetes.io/enforce-version: latest

        """;

    private static string ScratchDockerfile(NewService s) => $"""
        # {s.Name}'s image: ./build.sh Containerize builds this file with src/{s.Name}/ as the context and
        # pushes it. A starter that builds anywhere (FROM scratch, nothing pulled): replace it with your service's build.
        # For a .NET service, give the build a project to publish instead (Project = "…" in Services): the build then
        # publishes it self-contained into src/{s.Name}/publish/ before docker build.
        FROM scratch
        COPY README.md /README.md

        """;

    private static string SourceReadme(NewService s) => $"""
        # {s.Name}

        Put the service here: `Dockerfile` is what `./build.sh Containerize` builds, with this folder as the context.

        """;

    private static string DotnetDockerfile(NewService s) => $"""
        # {s.Name}'s runtime image. Nothing is compiled here and nothing is pulled except BASE_IMAGE: the build
        # publishes {s.Project} self-contained into src/{s.Name}/publish/ (git-ignored) first, then builds
        # this file with src/{s.Name}/ as the context.
        #
        # BASE_IMAGE needs only what a self-contained .NET app links against (glibc, libstdc++, libgcc_s, OpenSSL 3):
        # Microsoft's chiseled runtime-deps image has exactly that; offline, the build assembles one from the host.
        ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
        FROM {BaseImageArgument}

        WORKDIR /app
        COPY publish/ /app/

        {(s.IsWorker ? "" : $"ENV ASPNETCORE_HTTP_PORTS={s.Port}\n")}# 1654 is the "app" user of the chiseled images; numeric so Kubernetes runAsNonRoot can verify it.
        USER 1654
        {(s.IsWorker ? "" : $"EXPOSE {s.Port}\n")}ENTRYPOINT ["/app/{s.Assembly}"]

        """;

    // The Dockerfile's own ${…} syntax, kept out of the interpolated text.
    private const string BaseImageArgument = "${BASE_IMAGE}";

    private const string DotnetDockerignore = """
        # The image needs only the publish output; keep sources, bin/ and obj/ out of the context.
        *
        !publish/

        """;
}
