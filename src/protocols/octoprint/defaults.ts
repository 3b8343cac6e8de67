/**
 * What a fresh OctoPrint 1.11 install has (octoprint.md §3.4): the 22 core permissions in declaration order,
 * the permissions of the in-tree bundled plugins after them, and the four default groups. The suites check
 * keys, flags and default groups; names and descriptions are localized, so only the mock uses them.
 */

export type DefaultGroupKey = 'admins' | 'users' | 'guests' | 'readonly';

export interface PermissionDefault {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly dangerous: boolean;
  readonly defaultGroups: readonly DefaultGroupKey[];
  /** Role needs; a permission that includes another also carries that one's role. */
  readonly roles: readonly string[];
  readonly plugin?: string;
}

function core(key: string, name: string, description: string, groups: readonly DefaultGroupKey[], dangerous = false): PermissionDefault {
  const role = key === 'GCODE_VIEWER' ? 'gcodeviewer' : key.toLowerCase();
  return { key, name, description, dangerous, defaultGroups: groups, roles: [role] };
}

export const CORE_PERMISSIONS: readonly PermissionDefault[] = [
  core('ADMIN', 'Admin', 'Admin is allowed to do everything', ['admins'], true),
  core('STATUS', 'Status', 'Allows to gather basic status information, e.g. job progress, printer state, temperatures, ... Mandatory for the default UI to work', ['users', 'readonly']),
  core('CONNECTION', 'Connection', 'Allows to connect to and disconnect from a printer', ['users']),
  core('WEBCAM', 'Webcam', 'Allows to watch the webcam stream', ['users', 'readonly']),
  core('SYSTEM', 'System', 'Allows to run system commands, e.g. restart OctoPrint, shutdown or reboot the system, and to retrieve system and usage information', [], true),
  core('FILES_LIST', 'File List', 'Allows to retrieve a list of all uploaded files and folders, including their meta data (e.g. dimensions, analysis results, ...)', ['users', 'readonly']),
  core('FILES_UPLOAD', 'File Upload', 'Allows users to upload new files, create new folders and copy existing ones', ['users']),
  core('FILES_DOWNLOAD', 'File Download', 'Allows users to download files. The GCODE viewer is affected by this as well.', ['users', 'readonly']),
  core('FILES_DELETE', 'File Delete', 'Allows users to delete files and folders', ['users']),
  core('FILES_SELECT', 'File Select', 'Allows to select a file for printing', ['users']),
  core('PRINT', 'Print', 'Allows to start, pause and cancel a print job', ['users']),
  core('GCODE_VIEWER', 'GCODE viewer', 'Allows access to the GCODE viewer if the "File Download" permission is also set.', ['users', 'readonly']),
  core('MONITOR_TERMINAL', 'Terminal', 'Allows to watch the terminal tab but not to send commands to the printer from it', ['users', 'readonly']),
  core('CONTROL', 'Control', 'Allows to control of the printer by using the temperature controls, the control tab or sending commands through the terminal.', ['users']),
  core('SLICE', 'Slice', 'Allows to slice files', ['users']),
  core('TIMELAPSE_LIST', 'Timelapse List', 'Allows to list timelapse videos', ['users', 'readonly']),
  core('TIMELAPSE_DOWNLOAD', 'Timelapse Download', 'Allows to download timelapse videos', ['users', 'readonly']),
  core('TIMELAPSE_DELETE', 'Timelapse Delete', 'Allows to delete timelapse videos', ['users']),
  core('TIMELAPSE_MANAGE_UNRENDERED', 'Timelapse Manage Unrendered', 'Allows to list, delete and render unrendered timelapses', ['users']),
  core('TIMELAPSE_ADMIN', 'Timelapse Admin', 'Allows to change the timelapse settings.', ['users']),
  core('SETTINGS_READ', 'Settings Access', 'Allows to read non sensitive settings. Mandatory for the default UI to work.', ['users', 'readonly']),
  core('SETTINGS', 'Settings Admin', 'Allows to manage settings and also to read sensitive settings', [], true),
];

function plugin(
  id: string,
  pluginName: string,
  key: string,
  name: string,
  description: string,
  groups: readonly DefaultGroupKey[],
  options: { dangerous?: boolean; includes?: readonly string[] } = {},
): PermissionDefault {
  const roles = [key, ...(options.includes ?? [])].map((k) => `plugin_${id}_${k.toLowerCase()}`);
  return { key: `PLUGIN_${id.toUpperCase()}_${key}`, name: `${pluginName}: ${name}`, description, dangerous: options.dangerous ?? false, defaultGroups: groups, roles, plugin: id };
}

export const PLUGIN_PERMISSIONS: readonly PermissionDefault[] = [
  plugin('achievements', 'Achievements Plugin', 'VIEW', 'View', 'Allows to view the achievements', ['readonly', 'users', 'admins']),
  plugin('achievements', 'Achievements Plugin', 'RESET', 'Reset', 'Allows to reset the achievements', ['admins']),
  plugin('action_command_notification', 'Action Command Notification Support', 'SHOW', 'Show', 'Allows to see printer notifications', ['users']),
  plugin('action_command_notification', 'Action Command Notification Support', 'CLEAR', 'Clear', 'Allows to clear printer notifications', ['users']),
  plugin('action_command_prompt', 'Action Command Prompt Support', 'INTERACT', 'Interact', 'Allows to see and interact with printer prompts', ['users']),
  plugin('announcements', 'Announcement Plugin', 'READ', 'Read', 'Allows to read announcements', ['admins']),
  plugin('announcements', 'Announcement Plugin', 'MANAGE', 'Manage', 'Allows to manage announcement subscriptions. Includes "Read" permission', ['admins'], { includes: ['READ'] }),
  plugin('appkeys', 'Application Keys Plugin', 'ADMIN', 'Admin access', 'Allows administrating all application keys', ['admins'], { dangerous: true }),
  plugin('appkeys', 'Application Keys Plugin', 'GRANT', 'Grant access', 'Allows to grant app access', ['users']),
  plugin('backup', 'Backup & Restore', 'CREATE', 'Create backups', 'Allows to create backups and download them', ['admins']),
  plugin('health_check', 'Health Check', 'CHECK', 'Check', 'Allows to perform health checks', ['admins']),
  plugin('logging', 'Logging', 'MANAGE', 'Manage logs', 'Allows to download and delete log files and list and set log levels.', ['admins']),
  plugin('pluginmanager', 'Plugin Manager', 'LIST', 'List plugins', 'Allows to list installed plugins.', ['readonly', 'users', 'admins']),
  plugin('pluginmanager', 'Plugin Manager', 'MANAGE', 'Manage plugins', 'Allows to enable, disable and uninstall installed plugins.', ['admins']),
  plugin('pluginmanager', 'Plugin Manager', 'INSTALL', 'Install new plugins', 'Allows to install new plugins. Includes the "Manage plugins" permission.', ['admins'], {
    dangerous: true,
    includes: ['MANAGE'],
  }),
  plugin('softwareupdate', 'Software Update', 'CHECK', 'Check', 'Allows to check for software updates', ['users']),
  plugin('softwareupdate', 'Software Update', 'UPDATE', 'Update', 'Allows to perform software updates', ['admins'], { dangerous: true }),
  plugin('softwareupdate', 'Software Update', 'CONFIGURE', 'Configure', 'Allows to configure software update', ['admins'], { dangerous: true }),
];

export const ALL_PERMISSIONS: readonly PermissionDefault[] = [...CORE_PERMISSIONS, ...PLUGIN_PERMISSIONS];

export const CORE_PERMISSION_KEYS: readonly string[] = CORE_PERMISSIONS.map((p) => p.key);

export interface GroupDefault {
  readonly key: DefaultGroupKey;
  readonly name: string;
  readonly description: string;
  readonly default: boolean;
  readonly removable: boolean;
  readonly changeable: boolean;
  readonly toggleable: boolean;
}

/** The default groups and their flags (§3.4 table); their permissions are the ones that default to them. */
export const DEFAULT_GROUPS: readonly GroupDefault[] = [
  { key: 'admins', name: 'Admins', description: 'Administrators', default: false, removable: false, changeable: false, toggleable: true },
  { key: 'users', name: 'Operator', description: 'Group to gain operator access', default: true, removable: false, changeable: true, toggleable: true },
  { key: 'guests', name: 'Guests', description: 'Anyone who is not currently logged in', default: false, removable: false, changeable: true, toggleable: false },
  { key: 'readonly', name: 'Read-only Access', description: 'Group to gain read-only access', default: false, removable: false, changeable: false, toggleable: true },
];

/**
 * The permissions a default group starts with. The admins group lists ADMIN and the plugin permissions
 * that default to it, not the core ones (ADMIN grants those anyway); guests get none (§3.4).
 */
export function defaultPermissionsOf(group: DefaultGroupKey): string[] {
  if (group === 'guests') return [];
  return ALL_PERMISSIONS.filter((p) => p.defaultGroups.includes(group)).map((p) => p.key);
}
