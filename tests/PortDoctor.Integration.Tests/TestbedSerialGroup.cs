namespace PortDoctor.Integration.Tests;

/// <summary>
/// Testbed tests build namespaces, run daemons and share a 2-core machine: they run one at a time
/// and never alongside other collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TestbedSerialGroup
{
    public const string Name = "Testbed";
}
