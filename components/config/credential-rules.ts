import { fullKey, KeyPath } from "./key-path";
import { hideUrlCredentials, Problem } from "./problem";
import { Settings } from "./schema";

// A URL with credentials in it (https://user:token@host/...) would carry them into places that
// are not secret: image build arguments, the image's history, daemon.json in the daemon's
// environment, preview diffs and logs. Such URLs are refused, also where one is nested in another
// (a forwarding proxy's path), and the error never shows them.

/** Every URL-valued setting, with its key path. */
function urlsOf(settings: Settings): { path: KeyPath; url: string; instead: string }[] {
  const urls: { path: KeyPath; url: string; instead: string }[] = [
    { path: ["dindImage", "downloadUrl"], url: settings.dindImage.downloadUrl, instead: "a mirror that needs no credentials, or dindImage.localTarball" },
  ];
  if (settings.registry.proxy) {
    urls.push({ path: ["registry", "proxy", "remoteUrl"], url: settings.registry.proxy.remoteUrl, instead: "registry.proxy.username and the secret dind-stack:registryProxyPassword" });
  }
  settings.daemon.registryMirrors.forEach((url, index) => {
    urls.push({ path: ["daemon", "registryMirrors", index], url, instead: "a mirror that needs no credentials (a daemon sends a mirror only the credentials of `docker login`)" });
  });
  return urls;
}

/** No URL setting carries a user or password. */
export function checkUrlCredentials(settings: Settings, problems: Problem[]): void {
  for (const { path, url, instead } of urlsOf(settings)) {
    if (!/https?:\/\/[^/?#]*@/.test(url)) continue;
    problems.push({
      key: fullKey(path),
      message: `got ${JSON.stringify(hideUrlCredentials(url))} (a URL with a user or password, not shown here); allowed: a URL without user or password, since it would reach build arguments, logs and the state in plain text; use ${instead}`,
    });
  }
}
