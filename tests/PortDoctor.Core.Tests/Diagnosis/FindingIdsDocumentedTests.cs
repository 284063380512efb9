using System.Reflection;
using System.Text.RegularExpressions;
using PortDoctor.Core.Diagnosis;

namespace PortDoctor.Core.Tests.Diagnosis;

/// <summary>docs/diagnose.md is the reference for the finding ids in JSON: every id is listed, in the precedence the code uses.</summary>
public sealed partial class FindingIdsDocumentedTests
{
    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(Path.Combine(RepoRoot(), "docs", "diagnose.md")));

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(FindingIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            data.Add((string)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_finding_id_is_in_docs_diagnose_md(string id) =>
        Assert.True(Doc.Value.Contains("`" + id + "`", StringComparison.Ordinal), $"docs/diagnose.md does not list the finding id `{id}`");

    [Fact]
    public void The_documented_order_of_precedence_is_the_one_the_code_uses()
    {
        var documented = PrecedenceLine().Matches(Doc.Value).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(RootCause.Precedence, documented);
    }

    [GeneratedRegex(@"^\d+\. `([a-z0-9-]+)`", RegexOptions.Multiline)]
    private static partial Regex PrecedenceLine();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"PortDoctor.slnx not found in any parent of {AppContext.BaseDirectory}");
    }
}
