System.Console.WriteLine(Shared.Banner.Text);
