# SPDX-License-Identifier: GPL-2.0
# bash completion for vwctl(8)
# COMPREPLY=($(compgen ...)) is the completion idiom: the words never
# hold blanks, so splitting them is what is wanted.
# shellcheck disable=SC2207

# IDs and device names of the existing endpoints, from show --json.
_vwctl_show_field()
{
	vwctl show --json 2>/dev/null |
		grep -o "\"$1\":\"\{0,1\}[^\",}]*" | sed "s/^\"$1\":\"\{0,1\}//" |
		grep -v '^null$'
}

# The options of add or set, "KEYWORD [ARGS]" a line, from vwctl's own
# table (vwctl help options).
_vwctl_options()
{
	vwctl help options "$1" 2>/dev/null |
		awk '/^  [a-z]/ { print substr($0, 3, 24) }'
}

# The fixed words among an option's ARGS: "N|auto|inherit" gives auto
# and inherit; upper case stands for a value to type.
_vwctl_values()
{
	local IFS='|' w
	for w in $1; do
		[[ $w == [a-z]* ]] && printf '%s ' "$w"
	done
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

	local commands="add replace set del flush show stats monitor save sla connect disconnect directory help"
	local gopts="-j --json -p --pretty -b -batch --batch -force -n --netns -V --version -h --help"
	local i cmd='' cmdi=0 batch=0

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-b|-batch|--batch) batch=1; ((i++)) ;;
		-n|-netns|--netns) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; cmdi=$i; break ;;
		esac
	done

	case $prev in
	-b|-batch|--batch)
		# A file, or - for standard input.
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
		return ;;
	-n|-netns|--netns)
		COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		return ;;
	esac
	# With a batch the commands come from the file: options only.
	if ((batch)); then
		COMPREPLY=($(compgen -W "-j --json -p --pretty -force" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $gopts" -- "$cur"))
		return
	fi

	case $cmd in
	add|replace|set)
		local opts kw a1 a2
		# replace takes what add takes.
		opts=$(_vwctl_options "${cmd/replace/add}")
		if [[ $prev == dev ]]; then
			if [[ $cmd != set ]]; then
				COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			fi
			return
		fi
		while read -r kw a1 a2; do
			# The second value of one that takes two (srcport MIN MAX).
			[[ -n $a2 ]] && ((cword >= 2)) &&
				[[ ${words[cword - 2]} == "$kw" ]] && return
			[[ -n $a1 && $prev == "$kw" ]] || continue
			if [[ $kw == peer ]]; then
				COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_vwctl_values "$a1")" -- "$cur"))
			fi
			return
		done <<<"$opts"
		# First the endpoint: add takes a new ID, which cannot be
		# guessed; set takes an existing ID or dev NAME.
		local first=$((cmdi + 2))
		if ((cword == cmdi + 1)); then
			[[ $cmd == set ]] &&
				COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id)" -- "$cur"))
			return
		fi
		[[ $cmd == set && ${words[cmdi + 1]} == dev ]] && first=$((cmdi + 3))
		((cword < first)) && return
		local used=" ${words[*]:first:cword-first} " left=''
		while read -r kw a1 a2; do
			[[ -z $kw || $used == *" $kw "* ]] && continue
			# A wire goes to a remote or to a peer, not both.
			[[ $kw == peer && $used == *" remote "* ]] && continue
			[[ $kw == remote && $used == *" peer "* ]] && continue
			[[ $kw == active && $used == *" standby "* ]] && continue
			[[ $kw == standby && $used == *" active "* ]] && continue
			left+=" $kw"
		done <<<"$opts"
		[[ $cmd == add && $used != *" --may-exist "* ]] && left+=" --may-exist"
		COMPREPLY=($(compgen -W "$left" -- "$cur"))
		;;
	del|show|stats)
		if [[ $prev == dev ]]; then
			COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
			return
		fi
		local named=0 w
		for w in "${words[@]:cmdi+1:cword-cmdi-1}"; do
			[[ $w == -* ]] || named=1
		done
		local extra='--if-exists'
		[[ $cmd != del ]] && extra="--json"
		if ((named)); then
			COMPREPLY=($(compgen -W "$extra" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id) $extra" -- "$cur"))
		fi
		;;
	flush)
		# flush [id MIN[-MAX]]: the ID range is typed, not guessed.
		[[ $prev == id ]] && return
		[[ " ${words[*]:cmdi+1:cword-cmdi-1} " == *" id "* ]] ||
			COMPREPLY=($(compgen -W "id" -- "$cur"))
		;;
	monitor)
		local w mw="--json -t"
		for w in "${words[@]:cmdi+1:cword-cmdi-1}"; do
			case $w in
			-j|--json|-p|--pretty) mw=${mw/--json/} ;;
			-t|--timestamp) mw=${mw/-t/} ;;
			esac
		done
		COMPREPLY=($(compgen -W "$mw" -- "$cur"))
		;;
	connect)
		# connect ID [dev NAME] [format vxlan|vw] [vm NAME]
		#	[vm-mac MAC[,MAC...]] [standby]
		case $prev in
		format) COMPREPLY=($(compgen -W "vxlan vw" -- "$cur")); return ;;
		dev|vm|vm-mac) return ;;
		esac
		((cword == cmdi + 1)) && return
		local kw cl=''
		for kw in dev format vm vm-mac standby; do
			[[ " ${words[*]:cmdi+1:cword-cmdi-1} " == *" $kw "* ]] ||
				cl+=" $kw"
		done
		COMPREPLY=($(compgen -W "$cl" -- "$cur"))
		;;
	disconnect)
		if [[ $prev == dev ]]; then
			COMPREPLY=($(compgen -W "$(_vwctl_show_field dev)" -- "$cur"))
		elif ((cword == cmdi + 1)); then
			COMPREPLY=($(compgen -W "dev $(_vwctl_show_field id)" -- "$cur"))
		fi
		;;
	directory)
		COMPREPLY=($(compgen -W "--json" -- "$cur"))
		;;
	sla)
		# sla show-tc DEV capacity RATE
		case $((cword - cmdi)) in
		1) COMPREPLY=($(compgen -W "show-tc" -- "$cur")) ;;
		2) COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")) ;;
		3) COMPREPLY=($(compgen -W "capacity" -- "$cur")) ;;
		esac
		;;
	help)
		((cword == cmdi + 1)) &&
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	esac
} &&
	complete -F _vwctl vwctl
