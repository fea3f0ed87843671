System.Console.WriteLine(System.IO.File.ReadAllText(System.IO.Path.Combine(System.AppContext.BaseDirectory, "shared.json")).Trim());
