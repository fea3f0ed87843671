using System.Reflection;
Console.WriteLine(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Greeting").Value);
