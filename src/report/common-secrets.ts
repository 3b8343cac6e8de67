/**
 * Secrets of 8 characters or more that are too common to replace in free text: common passwords, and words
 * that reports of these protocols use anyway (replacing "password" everywhere would rewrite the reports and
 * tell the reader what the password is). Compared in lower case. Shorter secrets are never replaced there.
 */
export const COMMON_SECRETS: ReadonlySet<string> = new Set(
  `
  password passw0rd password1 password12 password123 password1234 p@ssw0rd p@ssword passwort motdepasse
  12345678 123456789 1234567890 0123456789 87654321 11111111 00000000 12341234 11223344 123123123 1q2w3e4r
  qwertyui qwertyuiop qwerty123 asdfghjk asdfasdf zxcvbnm1 abcdefgh abcd1234 abc12345 aa123456 q1w2e3r4
  iloveyou sunshine princess football baseball basketball superman starwars whatever trustno1 letmein1
  welcome1 welcome123 changeme changeit default1 computer internet michelle jennifer monkey123 dragon123
  master123 shadow123 qazwsxedc zaq12wsx 1qaz2wsx access14 mustang1 charlie1 jordan23 liverpool chelsea1
  administrator administrators admin123 admin1234 adminadmin administrateur superuser superadmin rootroot
  root1234 toortoor guest123 user1234 username usernames userpass testtest test1234 testing1 testuser
  demo1234 secret12 secret123 mysecret topsecret letmein123 temp1234 temppass nopassword
  everyone readonly readwrite read-only anonymous permission permissions groupname projects project1
  app-admin app-manager app-user manager1 managers kanboard octoprint rhodecode nymeaadmin repository
  repositories usergroup usergroups settings undefined localhost published function response requests
  `
    .split(/\s+/)
    .filter((w) => w !== ''),
);
