namespace Pipelines.Registry;

/// <summary>The laptop registry <see cref="LocalRegistry.EnsureRunningAsync"/> found or started.</summary>
/// <param name="Address"><c>host:port</c> to use as the registry in image references.</param>
/// <param name="Started">True when this call started it; false when one already answered there.</param>
/// <param name="ProcessId">The started registry's process id (it outlives the build), or null when re-used.</param>
/// <param name="LogPath">Where the started registry writes its log, or null when re-used.</param>
internal sealed record LocalRegistryStatus(string Address, bool Started, int? ProcessId, string? LogPath);
