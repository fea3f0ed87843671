using System.Runtime.InteropServices;

// docker stop sends SIGTERM (Ctrl+C: SIGINT): finish the current round of work and exit 0.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

var interval = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("WORK_INTERVAL_SECONDS"), out var seconds) ? seconds : 10);
Console.WriteLine($"StevedoreWorker started on {RuntimeInformation.OSArchitecture}");

for (var round = 1; !stopping.IsCancellationRequested; round++)
{
    Console.WriteLine($"StevedoreWorker round {round}");
    try
    {
        await Task.Delay(interval, stopping.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

Console.WriteLine("StevedoreWorker stopped");

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
