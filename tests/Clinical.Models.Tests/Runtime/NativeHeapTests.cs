using System.Runtime.InteropServices;
using Clinical.Models.Runtime;

namespace Clinical.Models.Tests.Runtime;

public sealed class NativeHeapTests
{
    private const int Block = 1 << 20;
    private const int Blocks = 48;
    private const int Page = 4096;

    [Fact]
    public void Given_freed_blocks_held_inside_a_glibc_arena_When_released_Then_their_pages_leave_memory()
    {
        Assert.True(NativeHeap.IsGlibc, "libtorch-cpu-linux-x64 runs on glibc; malloc_trim should bind.");
        var (before, after) = RunOnNewThread(() =>
        {
            // A freed mmap-served block raises glibc's mmap threshold above Block, so the blocks below come from
            // this thread's arena; the guard, one more block taken from the arena's top after them, keeps their free
            // space off the top (which free itself trims).
            Marshal.FreeHGlobal(Touched(4 * Block));
            var blocks = Enumerable.Range(0, Blocks).Select(_ => Touched(Block)).ToList();
            var guard = Touched(Block);
            try
            {
                blocks.ForEach(Marshal.FreeHGlobal);
                var resident = ResidentPages(blocks);
                NativeHeap.Release();
                return (resident, ResidentPages(blocks));
            }
            finally
            {
                Marshal.FreeHGlobal(guard);
            }
        });

        var pages = Blocks * (Block / Page);
        Assert.True(before > pages * 3 / 4, $"{before} of {pages} pages resident before the release");
        Assert.True(after < pages / 4, $"{after} of {pages} pages still resident after the release");
    }

    private static nint Touched(int bytes)
    {
        var block = Marshal.AllocHGlobal(bytes);
        for (var offset = 0; offset < bytes; offset += Page)
            Marshal.WriteByte(block, offset, 1);
        return block;
    }

    /// <summary>Resident pages (mincore) over the whole pages inside the blocks, freed or not.</summary>
    private static int ResidentPages(IEnumerable<nint> blocks)
    {
        var mincore = Mincore.Value;
        var resident = 0;
        foreach (var block in blocks)
        {
            var first = (block + Page - 1) & ~(nint)(Page - 1);
            var last = (block + Block) & ~(nint)(Page - 1);
            var pages = (int)((last - first) / Page);
            var vector = new byte[pages];
            Assert.Equal(0, mincore(first, (nuint)(last - first), vector));
            resident += vector.Count(v => (v & 1) == 1);
        }
        return resident;
    }

    private static T RunOnNewThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("The allocating thread failed.", failure);
    }

    private static readonly Lazy<MincoreFunction> Mincore = new(() =>
        Marshal.GetDelegateForFunctionPointer<MincoreFunction>(
            NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "mincore")
        )
    );

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MincoreFunction(nint address, nuint length, [Out] byte[] vector);
}
