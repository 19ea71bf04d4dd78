import Foundation
import RenumApp

exit(await RenumCommand.main(CommandLine.arguments))
