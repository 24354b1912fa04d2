namespace Clinical.Api.Hosting;

/// <summary>
/// Files that hold patient data or secrets (the SQLite database and its WAL/SHM files, the development signing key)
/// readable by the service account only: created 0600, and folders this service creates 0700. A folder that already
/// exists keeps its mode (it may be the operator's, e.g. /tmp or the working folder). Windows uses ACLs instead.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    /// <summary>Writes the file owner-only, also when it existed with a wider mode.</summary>
    public static void WriteAllText(string path, string text)
    {
        using (var stream = new FileStream(path, Create(FileMode.Create)))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        Restrict(path);
    }

    /// <summary>
    /// Creates an empty owner-only file when none exists (SQLite then gives its -wal and -shm files the same mode), and
    /// narrows an existing one.
    /// </summary>
    public static void Ensure(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, Create(FileMode.CreateNew));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; its mode is narrowed below.
            }
        }
        Restrict(path);
    }

    /// <summary>Narrows an existing file to owner-only; files of another owner are left as they are.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
            return;
        try
        {
            if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
                File.SetUnixFileMode(path, OwnerOnly);
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change (e.g. a read-only mount managed by the operator).
        }
    }

    public static FileStreamOptions Create(FileMode mode) =>
        OperatingSystem.IsWindows()
            ? new FileStreamOptions { Mode = mode, Access = FileAccess.Write }
            : new FileStreamOptions
            {
                Mode = mode,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnly,
            };
}
