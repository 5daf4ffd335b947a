# Sourced by scripts/test and scripts/report: installs the Debian packages SurveyStats links against,
# if any is missing. Needs root (as on CI) or sudo.
# unzip: the XLSX export tests read the written workbook back.
deps=(libopenblas-dev liblapacke-dev libreadstat-dev libxlsxwriter-dev unzip)
missing=()
for p in "${deps[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
