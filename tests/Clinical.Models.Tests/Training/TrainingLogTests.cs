using Clinical.Models.Training;

namespace Clinical.Models.Tests.Training;

public sealed class TrainingLogTests
{
    private static TrainingProgress At(int step, int total = 100) =>
        new(step, total, 0, 2, 0.5, 1e-4, 812, TimeSpan.FromSeconds(75), TimeSpan.FromMinutes(70));

    [Fact]
    public void Given_progress_When_formatted_Then_the_line_has_step_total_loss_rate_and_eta()
    {
        Assert.Equal(
            "epoch 1/2 step 40/100 loss 0.5000 lr 1.00E-004 812 tok/s elapsed 1:15 ETA 1:10:00",
            At(40).Format()
        );
    }

    [Fact]
    public void Given_a_log_file_When_steps_pass_Then_a_line_comes_every_n_steps_or_when_enough_seconds_passed()
    {
        var now = TimeSpan.Zero;
        var writer = new StringWriter();
        var log = new TrainingLog(writer, isTerminal: false, everySteps: 10, everySeconds: 30, clock: () => now);

        foreach (
            var (step, seconds) in new[] { (1, 1), (2, 5), (3, 20), (4, 32), (5, 40), (10, 45), (11, 80), (100, 81) }
        )
        {
            now = TimeSpan.FromSeconds(seconds);
            log.Step(At(step));
        }

        var steps = writer
            .ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[3].Split('/')[0])
            .ToList();
        // The first step, step 4 (31 s after the first line), step 10 (every 10), step 11 (35 s), the last.
        Assert.Equal(["1", "4", "10", "11", "100"], steps);
    }
}
