import ArgumentParser
import LoanRegistry

/// `loan-registry`: the operator's command line for the device-loan registry.
@main
struct LoanRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loan-registry",
        abstract: "Registry of medical devices lent to patients (MHLW guideline 6.0, ch. 7).",
        version: RegistryVersion.current,
        subcommands: [
            Serve.self, Migrate.self, Verify.self, DeviceCommand.self, PatientCommand.self, LoanCommand.self,
            ConsentCommand.self, IncidentCommand.self, StocktakeCommand.self, HandoutCommand.self, Overdue.self, Import.self, ClinicCommand.self, TextsCommand.self,
            UserCommand.self, SettingsCommand.self, KeysCommand.self, AuditCommand.self, ReviewCommand.self, EvidenceCommand.self,
            BackupCommand.self, RestoreCommand.self,
        ]
    )
}
