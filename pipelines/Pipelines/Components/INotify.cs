using Pipelines.Containers;
using Pipelines.Hosts;
using Pipelines.Notifications;
using Pipelines.Targets;
using Pipelines.Logging;

namespace Pipelines.Components;

/// <summary>
/// Tells the team's chat what a run did, once its targets have ended: a deploy, a promotion, a rollback, Analyze's
/// verdict, or any failed target, with the environment, each service's <c>image:tag@digest</c>, the manifests commit
/// and the run's URL. The engine calls it after the last target (<see cref="IAfterTargets"/>); a notification that
/// cannot be delivered is a warning row in the summary, never a failure.
/// </summary>
public interface INotify : IServices, IAfterTargets
{
    [Parameter("Chat webhooks to notify of deploys, promotions, rollbacks, Analyze's verdict and failures (repeatable or comma-separated; a DingTalk or Lark signing secret as the URL's #secret=… fragment)"), Secret]
    string[] Notify => ValueOf(() => Notify, []);

    [Parameter("Payload of the --notify webhooks; auto reads it from each URL's host (Slack, DingTalk, WeCom, Lark/Feishu, Teams Workflows), else json")]
    NotifyFormat NotifyFormat => ValueOf(() => NotifyFormat, NotifyFormat.Auto);

    [Parameter("NotifyFailure: the targets that failed in an earlier CI job, comma-separated, e.g. Test or Test,Lint (the test job, which holds no webhook)", LocalOnly = true)]
    string? FailedTarget => ValueOf(() => FailedTarget, null);

    /// <summary>
    /// <c>--failed-target</c> as the message says it: one value, comma-separated, so the CI job passes several test targets
    /// without them becoming targets to run (a second word on the command line would run it next to the webhook).
    /// </summary>
    internal string FailedTargetsText => string.Join(", ", (FailedTarget ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// Announces that <c>--failed-target</c> failed in an earlier job of the run, and runs nothing else: CI's test job holds
    /// no webhook, so a small job after it (<c>if: failure()</c>) runs this with only <c>--notify</c>. The message is sent
    /// after the targets like any other (<see cref="NoticeOf"/>), with the same retries and warning rows.
    /// </summary>
    Target NotifyFailure => _ => _
        .Description("Tells the --notify webhooks that --failed-target <target> failed in an earlier CI job (the test job holds no webhook); runs nothing else")
        .Requires(_ =>
        {
            if (FailedTargetsText.Length == 0)
                throw new PipelineException("NotifyFailure announces a target that failed in an earlier job: pass --failed-target <target>, e.g. ./build.sh NotifyFailure --failed-target Test (several: Test,Lint).");
            return Task.CompletedTask;
        })
        .Executes(context =>
        {
            if (Notify.Length == 0) context.Log.Warn($"No --notify webhook (PIPELINE_NOTIFY) is set: nobody is told that {FailedTargetsText} failed.");
            context.Note("Failed earlier", FailedTargetsText);
            return Task.CompletedTask;
        });

    /// <summary>The targets whose success is news; any target's failure is news too.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Events = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(IDeploy.Deploy)] = "deployed",
        [nameof(IPromote.Promote)] = "promoted",
        [nameof(IRollback.Rollback)] = "rolled back",
        [nameof(IAnalyze.Analyze)] = "analysis",
    };

    /// <summary>The <c>--notify</c> endpoints, parsed; their URLs, tokens and secrets registered with the masker.</summary>
    internal IReadOnlyList<NotificationEndpoint> NotificationEndpoints()
    {
        var endpoints = Notify.Select((url, i) => NotificationEndpoint.Parse(url, NotifyFormat, i + 1)).ToList();
        foreach (var endpoint in endpoints)
        {
            Host.AddSecret(endpoint.Url.ToString());
            Host.AddSecret(endpoint.Url.PathAndQuery.TrimStart('/'));
            Host.AddSecret(endpoint.Secret);
        }
        return endpoints;
    }

    async Task<IReadOnlyList<string>> IAfterTargets.AfterTargetsAsync(BuildSummary summary, PipelineHost host, CancellationToken cancellationToken)
    {
        if (Notify.Length == 0 || NoticeOf(summary) is not { } notice) return [];
        using var handler = new SocketsHttpHandler();
        return await new ReleaseNotifier(handler, host).SendAsync(notice, NotificationEndpoints(), cancellationToken);
    }

    /// <summary>What the run has to say, or null when nothing it did is news (a run of Test alone that passed).</summary>
    internal ReleaseNotice? NoticeOf(BuildSummary summary)
    {
        var events = summary.Targets
            .Where(t => t.Status == TargetStatus.Failed || (t.Status == TargetStatus.Succeeded && Events.ContainsKey(t.Name)))
            .Select(t => (Target: t, Text: EventText(t), Ok: t.Status == TargetStatus.Succeeded))
            .ToList();
        // NotifyFailure's news is the earlier job's failure, told as that target's own ("Test failed").
        if (summary.Targets.FirstOrDefault(t => t.Name == nameof(NotifyFailure) && t.Status == TargetStatus.Succeeded) is { } announced && FailedTargetsText is { Length: > 0 } earlier)
            events.Insert(0, (Target: announced, Text: $"{earlier} failed", Ok: false));
        if (events.Count == 0) return null;
        // The headline is the first failure, else the last news; the others and a failure's reason follow it.
        var main = events.FirstOrDefault(e => !e.Ok) is { Target: not null } failed ? failed : events[^1];
        var details = events.Where(e => e != main).Select(e => $"{e.Text} {(e.Ok ? "✅" : "❌")}").ToList();
        if (main.Target.Reason is { Length: > 0 } reason && !main.Ok) details.Insert(0, reason);
        // The state outlives runs (a laptop, a self-hosted runner): a value counts only when a target that publishes it
        // succeeded in this run; a failed one may have stopped before publishing, leaving an earlier run's value.
        var deployed = summary.Targets.Any(t => t.Status == TargetStatus.Succeeded && t.Name != nameof(IAnalyze.Analyze) && Events.ContainsKey(t.Name));
        return new ReleaseNotice(Name, main.Text, main.Ok,
            (deployed ? State.Get("DEPLOY_ENVIRONMENT") : null) ?? (this as IManifests)?.Environment ?? "-",
            ImagesOf(summary), deployed ? State.Get("DEPLOY_COMMIT") : null, Host.RunId, details);
    }

    private string EventText(TargetOutcome target)
    {
        // A failed Analyze's reason (the breach, the inconclusive check) follows the headline; only a passed one read its verdict here.
        if (target.Name.Equals(nameof(IAnalyze.Analyze), StringComparison.OrdinalIgnoreCase))
            return $"analysis {(target.Status == TargetStatus.Succeeded ? State.Get("ANALYSIS_VERDICT") ?? "pass" : "failed")}";
        return target.Status == TargetStatus.Succeeded ? Events[target.Name] : $"{target.Name} failed";
    }

    /// <summary>Each selected service's image as Containerize recorded it (<c>repository:tag@digest</c>), else as a target noted it.</summary>
    private IReadOnlyList<(string Service, string Image)> ImagesOf(BuildSummary summary)
    {
        var images = new List<(string, string)>();
        foreach (var service in SelectedServices)
        {
            if (State.GetRecord<BuiltImage>(ServiceImages.StateKey(service.Name)) is { } built)
                images.Add((service.Name, built.Digest is null ? built.Url : $"{built.Url}@{built.Digest}"));
            else if (summary.Targets.SelectMany(t => t.Notes).LastOrDefault(n => n.Key == NoteFor("Image", service)) is { Value: { } noted })
                images.Add((service.Name, noted));
        }
        return images;
    }
}
