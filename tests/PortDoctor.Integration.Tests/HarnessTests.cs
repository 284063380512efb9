using PortDoctor.Integration.Tests.Harness;

namespace PortDoctor.Integration.Tests;

/// <summary>The harness's own logic, without building a network.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void ParseValues_keeps_TB_lines_including_empty_values_and_ignores_the_rest()
    {
        var values = Testbed.ParseValues("noise\nTB_NAME=ab12\r\nTB_UPSTREAM_NS=\nNOT_TB=1\nTB_CHECKER_URL=http://11.0.0.1:8088\n");

        Assert.Equal(3, values.Count);
        Assert.Equal("ab12", values["TB_NAME"]);
        Assert.Equal(string.Empty, values["TB_UPSTREAM_NS"]);
        Assert.Equal("http://11.0.0.1:8088", values["TB_CHECKER_URL"]);
    }

    [Fact]
    public void A_missing_tool_is_named_in_the_skip_reason()
    {
        var problem = TestbedRequirements.FindProblem(["pd-no-such-tool"]);

        Assert.NotNull(problem);
        if (problem.StartsWith("missing tool", StringComparison.Ordinal))
        {
            Assert.Contains("pd-no-such-tool", problem, StringComparison.Ordinal);
        }
        else
        {
            // Not Linux or not root: that reason comes first.
            Assert.True(!OperatingSystem.IsLinux() || problem.Contains("root", StringComparison.Ordinal), problem);
        }
    }

    [Fact]
    public void The_repository_root_holds_the_testbed_script()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "PortDoctor.slnx")));
        Assert.True(File.Exists(RepoPaths.TestbedScript), RepoPaths.TestbedScript);
    }
}
