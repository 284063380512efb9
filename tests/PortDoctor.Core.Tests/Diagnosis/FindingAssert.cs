using PortDoctor.Core.Diagnosis;

namespace PortDoctor.Core.Tests.Diagnosis;

/// <summary>Compact views of findings for table rows: "id:Severity" in report order.</summary>
internal static class FindingAssert
{
    public static string Ids(IEnumerable<Finding> findings) => string.Join(" ", findings.Select(x => x.Id + ":" + x.Severity));

    public static string Ids(FindingList f) => Ids(f.Items);

    public static Finding Single(FindingList f, string id) => Assert.Single(f.Items, x => x.Id == id);

    public static string Evidence(Finding finding, string key) => finding.Evidence.TryGetValue(key, out var v) ? v : "<none>";
}
