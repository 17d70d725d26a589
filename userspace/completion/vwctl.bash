# SPDX-License-Identifier: GPL-2.0
# bash completion for vwctl(8)

# IDs and device names of the existing endpoints, from show --json.
_vwctl_show_field()
{
	vwctl show --json 2>/dev/null |
		grep -o "\"$1\":\"\{0,1\}[^\",}]*" | sed "s/^\"$1\":\"\{0,1\}//" |
		grep -v '^null$'
}

_vwctl()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		# Without the bash-completion package: plain words will do.
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]}
		prev=${words[cword - 1]}
	fi

	local commands="add del show help"
	local gopts="-j --json -V --version -h --help"
	local i cmd= cmdi=0

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; cmdi=$i; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $gopts" -- "$cur"))
		return
	fi

	case $cmd in
	add)
		case $prev in
		dev)
			COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
			return ;;
		format)
			COMPREPLY=($(compgen -W "vxlan" -- "$cur"))
			return ;;
		remote|local|port)
			return ;;
		esac
		# The ID comes first and cannot be guessed.
		((cword == cmdi + 1)) && return
		local kw used=" ${words[*]:cmdi+2} " left=
		for kw in dev remote local port format; do
			[[ $used == *" $kw "* ]] || left+=" $kw"
		done
		COMPREPLY=($(compgen -W "$left" -- "$cur"))
		;;
	del|show)
		if [[ $prev == dev ]]; then
			COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			return
		fi
		local named=0 w
		for w in "${words[@]:cmdi+1:cword-cmdi-1}"; do
			[[ $w == -* ]] || named=1
		done
		local extra=
		[[ $cmd == show ]] && extra="--json"
		if ((named)); then
			COMPREPLY=($(compgen -W "$extra" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id) $extra" -- "$cur"))
		fi
		;;
	help)
		((cword == cmdi + 1)) &&
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _vwctl vwctl
