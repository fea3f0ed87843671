using System;
using System.IO;
using System.Runtime.InteropServices;

// Loads the RID's native SQLite that publish put beside the app: a wrong-architecture file fails here.
var handle = NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "libe_sqlite3.so"));
Console.WriteLine($"sqlite loaded on {RuntimeInformation.ProcessArchitecture}: {handle != IntPtr.Zero}");
