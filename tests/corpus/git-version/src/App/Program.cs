using System;
using System.Reflection;

// The versions the compiler stamped: from the git tag the host read, not a default.
var assembly = Assembly.GetExecutingAssembly();
Console.WriteLine($"assembly {assembly.GetName().Version}");
Console.WriteLine($"file {assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version}");
Console.WriteLine($"informational {assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
