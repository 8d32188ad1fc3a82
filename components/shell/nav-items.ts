import { Activity, Gauge, KeyRound, Layers, Settings, Wand2, type LucideIcon } from "lucide-react";

export const NAV: { href: string; label: string; icon: LucideIcon }[] = [
  { href: "/", label: "Overview", icon: Gauge },
  { href: "/resources", label: "Resources", icon: Layers },
  { href: "/keys", label: "Keys", icon: KeyRound },
  { href: "/timeline", label: "Timeline", icon: Activity },
  { href: "/setup", label: "Setup", icon: Wand2 },
  { href: "/settings", label: "Settings", icon: Settings },
];
