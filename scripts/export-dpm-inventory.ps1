<#
.SYNOPSIS
  Writes what this DPM (or Azure Backup Server) server protects, and its
  version, SQL Server VSS Writer and database location, as
  NAME.dpm-inventory.json (format dpm-inventory/1) for DPM Sketch's import.

.DESCRIPTION
  Read-only: it calls Connect-DPMServer, Get-DPMProductionServer,
  Get-DPMProtectionGroup and Get-DPMDatasource, reads two registry keys, the
  file version of msdpm.exe and the state of the SQLWriter service, and
  writes host names and those facts only: no credentials, no backup data.
  Run it in the DPM Management Shell (or Windows PowerShell with the
  DataProtectionManager module) as a DPM administrator, on DPM 2012 to 2025
  or Azure Backup Server. A property a version lacks comes out null.

  UNTESTED against a real DPM server when written: the cmdlets and property
  names come from Microsoft's documentation and scripts (see the README's
  "Import your estate"); a field DPM does not fill is left null and DPM
  Sketch reports what it could not read.

.PARAMETER Site
  Optional: where this DPM server stands ("London"); DPM Sketch groups the
  drawing by site.

.PARAMETER OutDir
  Folder to write NAME.dpm-inventory.json to (default: the current one).
  "-" writes the JSON to the output instead, for Invoke-Command.

.EXAMPLE
  .\export-dpm-inventory.ps1 -Site London

.EXAMPLE
  # From one machine, for several DPM servers (PowerShell remoting):
  $sites = @{ DPM1 = 'London'; DPM2 = 'Dublin'; MABS1 = 'London' }
  foreach ($dpm in $sites.Keys) {
    Invoke-Command -ComputerName $dpm -FilePath .\export-dpm-inventory.ps1 -ArgumentList $sites[$dpm], '-' |
      Set-Content -Encoding UTF8 ".\$dpm.dpm-inventory.json"
  }
#>
param([string]$Site = '', [string]$OutDir = '.')

$ErrorActionPreference = 'Stop'
Import-Module DataProtectionManager -ErrorAction SilentlyContinue
$d = $env:COMPUTERNAME
$k = 'HKLM:\SOFTWARE\Microsoft\Microsoft Data Protection Manager'
$s = Connect-DPMServer $d
try {
  $i = $null; try { $i = $s.GetProductInformation() } catch { }
  $fileVersion = $null
  try { $fileVersion = (Get-Item (Join-Path (Get-ItemProperty "$k\Setup").InstallPath 'bin\msdpm.exe')).VersionInfo.FileVersion } catch { }
  $db = Get-ItemProperty "$k\DB" -ErrorAction SilentlyContinue
  $dbServer = $null
  if ($db -and $db.SqlServer) { $dbServer = if ($db.InstanceName) { "$($db.SqlServer)\$($db.InstanceName)" } else { "$($db.SqlServer)" } }
  $writer = Get-Service SQLWriter -ErrorAction SilentlyContinue
  [pscustomobject]@{
    format            = 'dpm-inventory/1'
    dpmServer         = $d
    fqdn              = "$($s.Name)"
    site              = if ($Site) { $Site } else { $null }
    productName       = if ($i) { "$($i.ProductName)" } else { $null }
    productVersion    = if ($i) { "$($i.Version)" } else { $null }
    msdpmFileVersion  = $fileVersion
    sqlWriter         = if ($writer) { "$($writer.Status)" } else { $null }
    dbServer          = $dbServer
    productionServers = @(Get-DPMProductionServer | Select-Object ServerName, MachineName, Domain, ClusterName,
        @{ n = 'ServerProtectionState'; e = { "$($_.ServerProtectionState)" } },
        @{ n = 'AgentVersion'; e = { try { "$($_.InstalledAgents.Agent.Version)" } catch { $null } } })
    datasources       = @(Get-DPMProtectionGroup | ForEach-Object { Get-DPMDatasource -ProtectionGroup $_ } |
      Select-Object ProductionServerName, Computer, Name, DisplayPath,
        @{ n = 'ObjectType'; e = { "$($_.ObjectType)" } }, @{ n = 'Class'; e = { $_.GetType().Name } },
        ProtectionGroupName, @{ n = 'ProtectionType'; e = { "$($_.ProtectionType)" } }, SourceDPMServer,
        IsDPMDatabase, IsLocalDPMDatabase, IsDPMDatasource, Protected,
        UnderActiveProtectionFromDPM, UnderActiveProtectionFromPS,
        @{ n = 'DatasourceId'; e = { "$($_.DatasourceId)" } }, @{ n = 'PrimaryDPMDatasourceId'; e = { "$($_.PrimaryDPMDatasourceId)" } })
  } | ConvertTo-Json -Depth 4 | ForEach-Object {
    if ($OutDir -eq '-') { $_ } else { Set-Content -Encoding UTF8 -Path (Join-Path $OutDir "$d.dpm-inventory.json") -Value $_ }
  }
} finally {
  Disconnect-DPMServer $d -ErrorAction SilentlyContinue
}
