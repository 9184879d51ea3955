using Pipelines.Hosts;
using Pipelines.Targets;

namespace Pipelines.Components;

/// <summary>Rollback: the last deploy of the services to an environment reverted with a new commit.</summary>
public interface IRollback : IManifests
{
    /// <summary>Reverts the last deploy.</summary>
    Target Rollback => _ => _
        .Requires(ManifestsConfigurationAsync)
        .Requires(ManifestsFoldersAsync)
        .Description("Reverts the last deploy of the services to --environment with a new commit (no history rewrite); a deploy of several services is reverted whole")
        .Produces("DEPLOY_COMMIT", "DEPLOY_ENVIRONMENT")
        .Executes(async ctx =>
        {
            var repository = await ManifestsAsync(ctx.CancellationToken);
            var revision = await repository.RollbackAsync(RollbackRequestFor(Environment), ctx.CancellationToken);
            ctx.Note("Rollback", revision.Describe());
            ctx.Publish("DEPLOY_COMMIT", revision.Commit);
            ctx.Publish("DEPLOY_ENVIRONMENT", Environment);
        });
}
