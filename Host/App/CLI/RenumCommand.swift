import Foundation
import RenumSandbox

/// The `renum` command: dispatches to a subcommand and returns the process exit code.
public enum RenumCommand {
    static let version = "0.1.0"

    static let usage = """
    renum \(version): plugin-hosting runtime for AI agents and integrations

    Usage: renum <command> [options]

    Commands:
      serve     run the HTTP API server (SQLite in the data dir)
      token     mint a development JWT signed with RENUM_JWT_SECRET
      keys      manage the master key ring (`renum keys rotate`)
      plugin    plugin author tools: new, validate, invoke, pack
      help      show this text, or `renum help <command>`

    Run `renum <command> --help` for a command's options.
    """

    /// Exit codes: 0 success, 1 runtime failure, 2 bad usage or configuration.
    public static func main(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        var rest = Array(arguments.dropFirst())
        guard let command = rest.first else {
            print(usage)
            return 2
        }
        rest.removeFirst()
        let wantsHelp = rest.contains("--help") || rest.contains("-h")
        switch command {
        case "serve":
            if wantsHelp { print(ServeCommand.help); return 0 }
            return await ServeCommand.run(arguments: rest, environment: environment)
        case "token":
            if wantsHelp { print(TokenCommand.help); return 0 }
            return TokenCommand.run(arguments: rest, environment: environment)
        case "plugin":
            if wantsHelp || rest.isEmpty { print(PluginCommand.help); return rest.isEmpty ? 2 : 0 }
            return await PluginCommand.run(arguments: rest, environment: environment)
        case "keys":
            if wantsHelp { print(KeysCommand.help); return 0 }
            return await KeysCommand.run(arguments: rest, environment: environment)
        case "worker":
            // Internal: a plugin worker process started by the host (RenumSandbox).
            return WorkerMain.run(arguments: rest)
        case "help", "--help", "-h":
            switch rest.first {
            case "serve": print(ServeCommand.help)
            case "token": print(TokenCommand.help)
            case "plugin":
            if wantsHelp || rest.isEmpty { print(PluginCommand.help); return rest.isEmpty ? 2 : 0 }
            return await PluginCommand.run(arguments: rest, environment: environment)
        case "keys": print(KeysCommand.help)
            default: print(usage)
            }
            return 0
        case "--version", "version":
            print("renum \(version)")
            return 0
        default:
            printError("unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("renum: " + message + "\n").utf8))
    }
}
