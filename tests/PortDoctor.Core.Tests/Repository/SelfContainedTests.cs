using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PortDoctor.Core.Tests.Repository;

/// <summary>
/// The repository explains itself: code, tests and documents cite docs/quirks.md, docs/… or public sources,
/// never material that is not in the repository, and every fixture says where it came from.
/// </summary>
public partial class SelfContainedTests
{
    private static readonly string[] ScannedFolders = ["src", "tests", "bench", "testbed", "scripts", "docs"];

    // Build output and test results are not the repository's text.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "artifacts", "TestResults", ".git", "node_modules" };

    // Spelled in pieces so that this file does not cite what it looks for.
    private static readonly (string What, Regex Pattern)[] Forbidden =
    [
        ("a citation of a case collection outside the repository", new Regex("shared" + @"\s+cases?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("a path into a folder outside the repository", new Regex(Regex.Escape("../" + "shared"), RegexOptions.CultureInvariant)),
        ("the product brief, which is not in the repository", new Regex(Regex.Escape("PRODUCT" + ".md"), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)),
        ("a field-case number (cite docs/quirks.md#Q-…)", new Regex(@"(?<![\w#])[cC](?:0\d|1\d)(?![0-9A-Za-z])", RegexOptions.CultureInvariant)),
        ("a requirement number of the product brief", new Regex(@"\(R\d+[\s,/)]", RegexOptions.CultureInvariant)),
    ];

    // "#Q-…" (with the ellipsis) is how these texts name the form, not a citation.
    [GeneratedRegex(@"docs/quirks\.md#(?!Q-…)([A-Za-z0-9-]+)")]
    private static partial Regex QuirkCitation();

    [GeneratedRegex("<a id=\"(Q-[A-Z0-9-]+)\"></a>")]
    private static partial Regex QuirkAnchor();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortDoctor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("PortDoctor.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> FilesUnder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (string file in Directory.EnumerateFiles(folder))
        {
            yield return file;
        }

        foreach (string sub in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
        {
            foreach (string file in FilesUnder(sub))
            {
                yield return file;
            }
        }
    }

    private static IEnumerable<string> RepositoryFiles(string root) => ScannedFolders.SelectMany(f => FilesUnder(Path.Combine(root, f)));

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    // Invalid UTF-8 (the binary fixtures) decodes to U+FFFD instead of failing, so every file can be scanned.
    private static string[] Lines(string path) => File.ReadAllText(path, Encoding.UTF8).Split('\n');

    private static List<string> FixtureFiles(string root) =>
        FilesUnder(Path.Combine(root, "tests"))
            .Where(f => Relative(root, f).Split('/').Contains("Fixtures") && !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .ToList();

    [Fact]
    public void No_file_cites_material_outside_the_repository()
    {
        string root = Root();
        var hits = new List<string>();
        foreach (string file in RepositoryFiles(root))
        {
            string[] lines = Lines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (var (what, pattern) in Forbidden)
                {
                    if (pattern.Match(lines[i]) is { Success: true } match)
                    {
                        hits.Add($"{Relative(root, file)}:{i + 1}: '{match.Value}' is {what}");
                    }
                }
            }
        }

        Assert.True(hits.Count == 0, "Cite docs/quirks.md#Q-…, docs/… or a public source instead:\n" + string.Join('\n', hits));
    }

    [Fact]
    public void The_scan_sees_the_repository_and_would_catch_each_kind_of_citation()
    {
        // Guards the test above against passing vacuously: it must find files, and each pattern must fire.
        Assert.Contains(RepositoryFiles(Root()), f => f.EndsWith("quirks.md", StringComparison.Ordinal));
        string[] samples = ["(see " + "shared" + " case " + "c" + "14)", "../" + "shared/cases", "per " + "PRODUCT" + ".md", "(c" + "06)", "C" + "13_606_test", "(R" + "5 only)"];
        foreach (string sample in samples)
        {
            Assert.Contains(Forbidden, f => f.Pattern.IsMatch(sample));
        }

        Assert.DoesNotContain(Forbidden, f => f.Pattern.IsMatch("docs/quirks.md#Q-PCP-NONCE, 0xc0, #c01, Acme R9 (Lab router), RFC 6887 §11.2"));
    }

    [Fact]
    public void Every_fixture_says_where_it_came_from()
    {
        string root = Root();
        var fixtures = FixtureFiles(root);
        Assert.NotEmpty(fixtures);
        var missing = fixtures.Where(f => !HasProvenance(f)).Select(f => Relative(root, f)).ToList();
        Assert.True(missing.Count == 0,
            "These fixtures have no provenance note (a 'Provenance:' comment at their start, or a row in a README.md of their folder):\n"
            + string.Join('\n', missing));
    }

    private static bool HasProvenance(string fixture)
    {
        using (var stream = File.OpenRead(fixture))
        {
            byte[] head = new byte[1024];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (Encoding.Latin1.GetString(head, 0, read).Contains("Provenance:", StringComparison.Ordinal))
            {
                return true;
            }
        }

        // A README.md in the fixture's folder, or in a parent folder up to Fixtures/, names the file.
        string name = Path.GetFileName(fixture);
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(fixture)!); dir is not null; dir = dir.Parent)
        {
            string readme = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(readme) && File.ReadAllText(readme).Contains("`" + Path.GetRelativePath(dir.FullName, fixture).Replace('\\', '/') + "`", StringComparison.Ordinal))
            {
                return true;
            }

            if (dir.Name == "Fixtures")
            {
                break;
            }
        }

        return false;
    }

    [Fact]
    public void No_fixture_is_copied_between_test_projects()
    {
        string root = Root();
        var copies = FixtureFiles(root)
            .GroupBy(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))
            .Where(g => g.Select(f => Relative(root, f).Split('/')[1]).Distinct().Count() > 1)
            .Select(g => string.Join(" = ", g.Select(f => Relative(root, f))))
            .ToList();
        Assert.True(copies.Count == 0, "Keep one copy and link it from the other project (<None Include=… Link=…/>):\n" + string.Join('\n', copies));
    }

    [Fact]
    public void Every_quirk_citation_names_an_entry_of_docs_quirks()
    {
        string root = Root();
        var anchors = QuirkAnchor().Matches(File.ReadAllText(Path.Combine(root, "docs", "quirks.md"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(anchors);
        var dangling = new List<string>();
        foreach (string file in RepositoryFiles(root).Where(f => !f.EndsWith(".bin", StringComparison.Ordinal)))
        {
            string[] lines = Lines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                dangling.AddRange(QuirkCitation().Matches(lines[i])
                    .Where(m => !anchors.Contains(m.Groups[1].Value))
                    .Select(m => $"{Relative(root, file)}:{i + 1}: {m.Value}"));
            }
        }

        Assert.True(dangling.Count == 0, "No such entry in docs/quirks.md:\n" + string.Join('\n', dangling));
    }
}
