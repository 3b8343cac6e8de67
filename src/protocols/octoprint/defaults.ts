/**
 * What a fresh OctoPrint 1.11 install has (octoprint.md §3.4): the 22 core permissions in declaration order,
 * the permissions of the bundled plugins after them (the in-tree ones and the separately packaged File Check
 * and Firmware Check a stock install runs), and the four default groups. Names and descriptions are the texts
 * of a real 1.11.8's GET /api/access/permissions, verbatim (typos included). The suites check keys, flags and
 * default groups; names and descriptions are localized, so only the mock uses them.
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

function core(
  key: string,
  name: string,
  description: string,
  groups: readonly DefaultGroupKey[],
  dangerous = false,
): PermissionDefault {
  const role = key === 'GCODE_VIEWER' ? 'gcodeviewer' : key.toLowerCase();
  return { key, name, description, dangerous, defaultGroups: groups, roles: [role] };
}

export const CORE_PERMISSIONS: readonly PermissionDefault[] = [
  core('ADMIN', 'Admin', 'Admin is allowed to do everything', ['admins'], true),
  core(
    'STATUS',
    'Status',
    'Allows to gather basic status information, e.g. job progress, printer state, temperatures, ... Mandatory for the default UI to work',
    ['users', 'readonly'],
  ),
  core('CONNECTION', 'Connection', 'Allows to connect to and disconnect from a printer', ['users']),
  core('WEBCAM', 'Webcam', 'Allows to watch the webcam stream', ['users', 'readonly']),
  core(
    'SYSTEM',
    'System',
    'Allows to run system commands, e.g. restart OctoPrint, shutdown or reboot the system, and to retrieve system and usage information',
    [],
    true,
  ),
  core(
    'FILES_LIST',
    'File List',
    'Allows to retrieve a list of all uploaded files and folders, includingtheir metadata (e.g. date, file size, analysis results, ...)',
    ['users', 'readonly'],
  ),
  core(
    'FILES_UPLOAD',
    'File Upload',
    'Allows users to upload new files, create new folders and copy existing ones. If the File Delete permission is also set, File Upload also allows moving files and folders.',
    ['users'],
  ),
  core(
    'FILES_DOWNLOAD',
    'File Download',
    'Allows users to download files. The GCODE viewer is affected by this as well.',
    ['users', 'readonly'],
  ),
  core(
    'FILES_DELETE',
    'File Delete',
    'Allows users to delete files and folders. If the File Upload permission is also set, File Delete also allows moving files and folders.',
    ['users'],
  ),
  core('FILES_SELECT', 'File Select', 'Allows to select a file for printing', ['users']),
  core('PRINT', 'Print', 'Allows to start, pause and cancel a print job', ['users']),
  core(
    'GCODE_VIEWER',
    'GCODE viewer',
    'Allows access to the GCODE viewer if the "File Download"permission is also set.',
    ['users', 'readonly'],
  ),
  core(
    'MONITOR_TERMINAL',
    'Terminal',
    'Allows to watch the terminal tab but not to send commands to the printer from it',
    ['users', 'readonly'],
  ),
  core(
    'CONTROL',
    'Control',
    'Allows to control of the printer by using the temperature controls,the control tab or sending commands through the terminal.',
    ['users'],
  ),
  core('SLICE', 'Slice', 'Allows to slice files', ['users']),
  core('TIMELAPSE_LIST', 'Timelapse List', 'Allows to list timelapse videos', ['users', 'readonly']),
  core('TIMELAPSE_DOWNLOAD', 'Timelapse Download', 'Allows to download timelapse videos', ['users', 'readonly']),
  core('TIMELAPSE_DELETE', 'Timelapse Delete', 'Allows to delete timelapse videos', ['users']),
  core(
    'TIMELAPSE_MANAGE_UNRENDERED',
    'Timelapse Manage Unrendered',
    'Allows to list, delete and render unrendered timelapses',
    ['users'],
  ),
  core('TIMELAPSE_ADMIN', 'Timelapse Admin', 'Allows to change the timelapse settings.', ['users']),
  core(
    'SETTINGS_READ',
    'Settings Access',
    'Allows to read non sensitive settings. Mandatory for the default UI to work.',
    ['users', 'readonly'],
  ),
  core('SETTINGS', 'Settings Admin', 'Allows to manage settings and also to read sensitive settings', [], true),
];

/** A bundled plugin's permission; its roles as the real server lists them (GRANT's is `plugin_appkeys_user`). */
function plugin(
  id: string,
  key: string,
  groups: readonly DefaultGroupKey[],
  roles: readonly string[],
  name: string,
  description: string,
  dangerous = false,
): PermissionDefault {
  return { key, name, description, dangerous, defaultGroups: groups, roles, plugin: id };
}

export const PLUGIN_PERMISSIONS: readonly PermissionDefault[] = [
  plugin(
    'achievements',
    'PLUGIN_ACHIEVEMENTS_VIEW',
    ['readonly', 'users', 'admins'],
    ['plugin_achievements_view'],
    'Achievements Plugin: View instance achievements & stats',
    'Allows to view the instance achievements & stats.',
  ),
  plugin(
    'achievements',
    'PLUGIN_ACHIEVEMENTS_RESET',
    ['admins'],
    ['plugin_achievements_reset'],
    'Achievements Plugin: Reset instance achievements & stats',
    'Allows to reset the instance achievements & stats.',
  ),
  plugin(
    'action_command_notification',
    'PLUGIN_ACTION_COMMAND_NOTIFICATION_SHOW',
    ['users'],
    ['plugin_action_command_notification_show'],
    'Action Command Notification Support: Show printer notifications',
    'Allows to see printer notifications',
  ),
  plugin(
    'action_command_notification',
    'PLUGIN_ACTION_COMMAND_NOTIFICATION_CLEAR',
    ['users'],
    ['plugin_action_command_notification_clear'],
    'Action Command Notification Support: Clear printer notifications',
    'Allows to clear printer notifications',
  ),
  plugin(
    'action_command_prompt',
    'PLUGIN_ACTION_COMMAND_PROMPT_INTERACT',
    ['users'],
    ['plugin_action_command_prompt_interact'],
    'Action Command Prompt Support: Interact with printer prompts',
    'Allows to see and interact with printer prompts',
  ),
  plugin(
    'announcements',
    'PLUGIN_ANNOUNCEMENTS_READ',
    ['admins'],
    ['plugin_announcements_read'],
    'Announcement Plugin: Read announcements',
    'Allows to read announcements',
  ),
  plugin(
    'announcements',
    'PLUGIN_ANNOUNCEMENTS_MANAGE',
    ['admins'],
    ['plugin_announcements_manage', 'plugin_announcements_read'],
    'Announcement Plugin: Manage announcement subscriptions',
    'Allows to manage announcement subscriptions. Includes "Read announcements" permission',
  ),
  plugin(
    'appkeys',
    'PLUGIN_APPKEYS_ADMIN',
    ['admins'],
    ['plugin_appkeys_admin'],
    'Application Keys Plugin: Admin access',
    'Allows administrating all application keys',
    true,
  ),
  plugin(
    'appkeys',
    'PLUGIN_APPKEYS_GRANT',
    ['users'],
    ['plugin_appkeys_user'],
    'Application Keys Plugin: Grant access',
    'Allows to grant app access',
  ),
  plugin(
    'backup',
    'PLUGIN_BACKUP_CREATE',
    ['admins'],
    ['plugin_backup_create'],
    'Backup & Restore: Create backup',
    'Allows to trigger the creation of backups',
  ),
  plugin(
    'file_check',
    'PLUGIN_FILE_CHECK_RUN',
    ['users', 'admins'],
    ['plugin_file_check_run'],
    'File Check: Run File Check',
    'Allows to run File Check and view the results.',
  ),
  plugin(
    'firmware_check',
    'PLUGIN_FIRMWARE_CHECK_DISPLAY',
    ['users'],
    ['plugin_firmware_check_display'],
    'Firmware Check: Display firmware check warnings',
    'Allows to see firmware check warnings',
  ),
  plugin(
    'health_check',
    'PLUGIN_HEALTH_CHECK_CHECK',
    ['admins'],
    ['plugin_health_check_check'],
    'Healthcheck Plugin: Perform healthchecks',
    'Allows to perform health checks and view their results',
  ),
  plugin(
    'logging',
    'PLUGIN_LOGGING_MANAGE',
    ['admins'],
    ['plugin_logging_manage'],
    'Logging: Logging management',
    'Allows to download and delete log files and list and set log levels.',
  ),
  plugin(
    'pluginmanager',
    'PLUGIN_PLUGINMANAGER_LIST',
    ['readonly', 'users', 'admins'],
    ['plugin_pluginmanager_list'],
    'Plugin Manager: List plugins',
    'Allows to list installed plugins.',
  ),
  plugin(
    'pluginmanager',
    'PLUGIN_PLUGINMANAGER_MANAGE',
    ['admins'],
    ['plugin_pluginmanager_manage'],
    'Plugin Manager: Manage plugins',
    'Allows to enable, disable and uninstall installed plugins.',
  ),
  plugin(
    'pluginmanager',
    'PLUGIN_PLUGINMANAGER_INSTALL',
    ['admins'],
    ['plugin_pluginmanager_install', 'plugin_pluginmanager_manage'],
    'Plugin Manager: Install new plugins',
    'Allows to install new plugins. Includes the "Manage plugins" permission.',
    true,
  ),
  plugin(
    'softwareupdate',
    'PLUGIN_SOFTWAREUPDATE_CHECK',
    ['users'],
    ['plugin_softwareupdate_check'],
    'Software Update: Check',
    'Allows to check for software updates',
  ),
  plugin(
    'softwareupdate',
    'PLUGIN_SOFTWAREUPDATE_UPDATE',
    ['admins'],
    ['plugin_softwareupdate_update'],
    'Software Update: Update',
    'Allows to perform software updates',
    true,
  ),
  plugin(
    'softwareupdate',
    'PLUGIN_SOFTWAREUPDATE_CONFIGURE',
    ['admins'],
    ['plugin_softwareupdate_configure'],
    'Software Update: Configure',
    'Allows to configure software update',
    true,
  ),
];

export const ALL_PERMISSIONS: readonly PermissionDefault[] = [...CORE_PERMISSIONS, ...PLUGIN_PERMISSIONS];

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
  {
    key: 'admins',
    name: 'Admins',
    description: 'Administrators',
    default: false,
    removable: false,
    changeable: false,
    toggleable: true,
  },
  {
    key: 'users',
    name: 'Operator',
    description: 'Group to gain operator access',
    default: true,
    removable: false,
    changeable: true,
    toggleable: true,
  },
  {
    key: 'guests',
    name: 'Guests',
    description: 'Anyone who is not currently logged in',
    default: false,
    removable: false,
    changeable: true,
    toggleable: false,
  },
  {
    key: 'readonly',
    name: 'Read-only Access',
    description: 'Group to gain read-only access',
    default: false,
    removable: false,
    changeable: false,
    toggleable: true,
  },
];

/**
 * The permissions a default group starts with. The admins group lists ADMIN and the plugin permissions
 * that default to it, not the core ones (ADMIN grants those anyway); guests get none (§3.4).
 */
export function defaultPermissionsOf(group: DefaultGroupKey): string[] {
  if (group === 'guests') return [];
  return ALL_PERMISSIONS.filter((p) => p.defaultGroups.includes(group)).map((p) => p.key);
}
